package main

import (
	"errors"
	"io"
)

func cmdCheck(args []string, stdout, stderr io.Writer) (int, error) {
	return 0, errors.New("not yet implemented")
}
