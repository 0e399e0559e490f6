package process_test

import "os"

func errProcessDone() error { return os.ErrProcessDone }
