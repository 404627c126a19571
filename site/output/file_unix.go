//go:build unix

package output

import (
	"errors"
	"io/fs"
	"syscall"
)

// writeNew writes data to a file made at p, which must not exist: a staged
// file is never written into where it already was, so no file another name
// shares is changed. It calls the system itself: os.WriteFile also offers
// each file to Go's poller (four fcntl and an epoll_ctl that fails for a
// regular file), and a site has tens of thousands of files.
func writeNew(p string, data []byte) error {
	var fd int
	err := ignoringEINTR(func() (err error) {
		fd, err = syscall.Open(p, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
		return err
	})
	if err != nil {
		return &fs.PathError{Op: "open", Path: p, Err: err}
	}
	for len(data) > 0 {
		var n int
		err = ignoringEINTR(func() (err error) {
			n, err = syscall.Write(fd, data)
			return err
		})
		if err == nil && n == 0 {
			err = syscall.EIO
		}
		if err != nil {
			break
		}
		data = data[n:]
	}
	if cerr := syscall.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		return &fs.PathError{Op: "write", Path: p, Err: err}
	}
	return nil
}

func ignoringEINTR(f func() error) error {
	for {
		if err := f(); !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
