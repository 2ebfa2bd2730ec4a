//go:build race

package content

// raceEnabled: the race detector is on. sync.Pool then drops a share of
// what is put back (to find races), so a parser that reuses buffers from
// a pool (regexp's backtracker, goldmark's) allocates them anew: memory
// figures are meaningless, and make test measures them in a run without
// the detector.
const raceEnabled = true
