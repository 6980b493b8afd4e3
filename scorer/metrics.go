package scorer

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"ispit/sheet"
)

// metrics are the service's figures for Prometheus (GET /metrics): what it received and
// refused, how many uploads wait, how long an upload takes, and the Go process itself. Each
// service has its own registry, so that several services in one process (tests) do not mix.
type metrics struct {
	registry *prometheus.Registry
	sheets   *prometheus.CounterVec
	refused  *prometheus.CounterVec
	latency  prometheus.Histogram
	batch    prometheus.Histogram
	points   *prometheus.CounterVec
	moves    prometheus.Counter
}

func newMetrics(s *Service) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		sheets: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ispit_scorer_sheets_received_total",
			Help: "Sheets receipted: outcome stored (new) or duplicate (the same sheet again).",
		}, []string{"outcome"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ispit_scorer_uploads_refused_total",
			Help: "Uploads refused, by reason.",
		}, []string{"reason"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "ispit_scorer_ingest_seconds",
			Help:    "Time from an upload's arrival to its receipt, waiting for its turn included.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 16), // 1 ms … 33 s
		}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "ispit_scorer_store_batch_sheets",
			Help:    "Sheets stored per durable transaction.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 11), // 1 … 1024
		}),
	}
	m.points = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ispit_scorer_checkpoints_received_total",
		Help: "Progress checkpoints received: outcome stored, stale (older than the one kept) or moved (the attempt is on another terminal).",
	}, []string{"outcome"})
	m.moves = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "ispit_scorer_attempts_moved_total",
		Help: "Attempts handed over to a spare terminal.",
	})
	for _, o := range []string{"stored", "duplicate"} {
		m.sheets.WithLabelValues(o)
	}
	for _, o := range []string{sheet.CheckpointStatusStored, sheet.CheckpointStatusStale, sheet.CheckpointStatusMoved} {
		m.points.WithLabelValues(o)
	}
	for _, r := range refusalReasons {
		m.refused.WithLabelValues(r)
	}
	m.refused.WithLabelValues("busy")
	m.registry.MustRegister(m.sheets, m.refused, m.latency, m.batch, m.points, m.moves,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "ispit_scorer_queue_depth",
			Help: "Uploads waiting for their turn, bodies unread, and accepted connections waiting to be served.",
		}, func() float64 { return float64(s.admit.depth()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "ispit_scorer_uploads_active",
			Help: "Uploads whose bodies are read and being opened or stored.",
		}, func() float64 { return float64(len(s.admit.active)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "ispit_scorer_stored_per_second",
			Help: "Sheets stored per second over the last seconds (what Retry-After is sized from).",
		}, s.stored.perSecond),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// refusalReasons names the reasons an upload is refused, by HTTP status.
var refusalReasons = map[int]string{
	http.StatusBadRequest:            "malformed",
	http.StatusUnauthorized:          "unauthorized",
	http.StatusRequestTimeout:        "timeout",
	http.StatusConflict:              "conflict",
	http.StatusGone:                  "moved",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusInternalServerError:   "internal",
	http.StatusServiceUnavailable:    "unavailable",
}

// refusedFor counts a refusal; a 503 because the queue was full or the wait too long counts as
// busy, any other 503 (the storage) as unavailable.
func (m *metrics) refusedFor(status int, busy bool) {
	reason, ok := refusalReasons[status]
	switch {
	case busy:
		reason = "busy"
	case !ok:
		reason = strconv.Itoa(status)
	}
	m.refused.WithLabelValues(reason).Inc()
}

func (m *metrics) receipted(outcome IngestOutcome, since time.Time) {
	if outcome == Stored {
		m.sheets.WithLabelValues("stored").Inc()
	} else {
		m.sheets.WithLabelValues("duplicate").Inc()
	}
	m.latency.Observe(time.Since(since).Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
