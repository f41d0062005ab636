package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// op is one request a workload asks a connection to send, with the check
// its answer must pass.
type op struct {
	method string
	url    string
	// body is sent with Content-Type contentType when not nil.
	body        []byte
	contentType string
	// check validates a 2xx answer; nil accepts any 2xx.
	check func(body []byte) error
}

// workload produces the requests of a run. next is called concurrently,
// once per request, by connection conn (0 ≤ conn < connections).
type workload interface {
	next(conn int) op
}

// loadConfig is how hard and how long to drive a workload.
type loadConfig struct {
	// connections is the number of concurrent connections, each sending
	// its next request as soon as the previous one is answered.
	connections int
	// duration is how long requests are measured, after warmup.
	duration time.Duration
	// warmup is how long requests are sent, unmeasured, before measuring
	// starts: connections are dialled and caches filled.
	warmup time.Duration
	// maxRequests stops each run after this many measured requests in
	// total; 0 means no limit.
	maxRequests int64
	// timeout bounds each request.
	timeout time.Duration
}

// newTransport is the client transport of a run: one kept-alive
// connection per worker, no compression, HTTP/1.1 as the registry's
// clients speak it.
func newTransport(connections, targets int) *http.Transport {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		DialContext:         dialer.DialContext,
		MaxIdleConns:        connections * targets,
		MaxIdleConnsPerHost: connections,
		MaxConnsPerHost:     connections,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
}

// worker is the private state of one connection: its samples and error
// counts, merged into the result once the run ends, so that connections
// share nothing on the hot path but a few atomic flags and counters.
type worker struct {
	latencies []time.Duration
	errors    map[string]int64
	buf       bytes.Buffer
}

// drive runs w against client under cfg and returns what it measured.
func drive(ctx context.Context, client *http.Client, w workload, cfg loadConfig) result {
	var (
		measured atomic.Bool  // set once warmup ends
		stopped  atomic.Bool  // set once no new request may start
		count    atomic.Int64 // measured requests started
	)
	if cfg.warmup == 0 {
		measured.Store(true)
	}
	workers := make([]*worker, cfg.connections)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range workers {
		wk := &worker{errors: map[string]int64{}}
		workers[i] = wk
		wg.Go(func() {
			for !stopped.Load() && ctx.Err() == nil {
				record := measured.Load()
				if record && cfg.maxRequests > 0 && count.Add(1) > cfg.maxRequests {
					stopped.Store(true)
					return
				}
				o := w.next(i)
				t0 := time.Now()
				kind := wk.do(ctx, client, o, cfg.timeout)
				elapsed := time.Since(t0)
				if !record {
					continue
				}
				if kind == errCancelled {
					// The run was interrupted: not the server's fault.
					return
				}
				if kind != "" {
					wk.errors[kind]++
				}
				if kind != errTransport {
					wk.latencies = append(wk.latencies, elapsed)
				}
			}
		})
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()

	// Warm up, then measure until the duration passes, the request limit
	// is reached (every worker has returned) or ctx ends.
	measureStart := start
	if cfg.warmup > 0 {
		select {
		case <-time.After(cfg.warmup):
		case <-done:
		case <-ctx.Done():
		}
		measureStart = time.Now()
		measured.Store(true)
	}
	timer := time.NewTimer(cfg.duration)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-done:
	case <-ctx.Done():
	}
	stopped.Store(true)
	<-done
	return merge(workers, time.Since(measureStart))
}

// Error kinds that are not an HTTP status.
const (
	errTransport = "transport"
	errCancelled = "cancelled"
	errBody      = "unexpected body"
)

// do sends o and classifies the outcome: "" for success, else an error
// kind.
func (wk *worker) do(ctx context.Context, client *http.Client, o op, timeout time.Duration) string {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if o.body != nil {
		body = bytes.NewReader(o.body)
	}
	req, err := http.NewRequestWithContext(ctx, o.method, o.url, body)
	if err != nil {
		return errTransport
	}
	if o.body != nil {
		req.Header.Set("Content-Type", o.contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return errCancelled
		}
		return errTransport
	}
	wk.buf.Reset()
	_, err = wk.buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return errTransport
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Sprintf("status %d", resp.StatusCode)
	}
	if o.check != nil && o.check(wk.buf.Bytes()) != nil {
		return errBody
	}
	return ""
}
