package main

import (
	"errors"
	"io"
)

func cmdNew(args []string, stdout, stderr io.Writer) error {
	return errors.New("not yet implemented")
}
