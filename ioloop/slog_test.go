package ioloop_test

import "log/slog"

func slogger(h slog.Handler) *slog.Logger { return slog.New(h) }
