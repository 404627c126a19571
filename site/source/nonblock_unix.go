//go:build unix

package source

import "syscall"

const nonBlock = syscall.O_NONBLOCK
