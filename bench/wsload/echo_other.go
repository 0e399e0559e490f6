//go:build !linux

package main

import (
	"errors"
	"time"
)

type result struct {
	msgs      int64
	span      time.Duration
	clientCPU time.Duration
}

func (r result) serverUs() string { return "-" }

func runEcho(fds []int, size int, warmup, dur time.Duration, pid int) (result, error) {
	return result{}, errors.New("the echo load needs Linux (epoll)")
}
