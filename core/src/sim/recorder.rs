//! What the API server ends up storing of the events the simulated components emit: the event
//! recorder's correlator, after client-go `tools/record/events_cache.go` (`EventCorrelator`),
//! which the kubelet and kube-controller-manager's controllers send every event through.
//!
//! The timeline keeps every event a component emitted; `kubectl get events` and `kubectl
//! describe` show what this module makes of them. For each event, in time order:
//!
//! 1. **Aggregation** (`EventAggregator`): events about one object from one component with the
//!    same type and reason but different messages are "similar". From the tenth distinct
//!    message within 10 minutes on, each one is stored instead as a single event that counts up,
//!    with the message `(combined from similar events): <the latest message>`. A Job that
//!    creates a hundred pods shows nine `Created pod: …` events and one combined event.
//! 2. **Counting** (`eventLogger`): a repeat of an event (same object, component, type, reason
//!    and message) updates the stored event's count and last time instead of adding one.
//! 3. **Spam filter** (`EventSourceObjectSpamFilter`): each component may write 25 events about
//!    one object, and then one more every 5 minutes (a token bucket). An event over the limit is
//!    not written — but it was counted in step 2, so the next one that gets through carries the
//!    full count. A CronJob that runs every minute soon has most of its events dropped.
//!
//! The scheduler records through the newer events API (`tools/events`), which has neither the
//! aggregator nor the spam filter: its repeats are only counted.
//!
//! Simplifications: the correlator's caches are LRU caches of 4096 entries, which a long run
//! can overflow (old keys are forgotten); here nothing is forgotten. When more than ten similar
//! messages are tracked, Go drops an arbitrary one from its set (`PopAny` over a map); here the
//! oldest, so the result is the same everywhere. An object is identified by kind and name, not
//! UID (the simulator never reuses a name for a new object of the same kind).

use super::timeline::{EventObject, EventRecord, EventSource, EventType, Reason, Time};
use std::borrow::Cow;
use std::collections::HashMap;

/// `defaultSpamBurst`: events one component may write about one object before the limit.
const SPAM_BURST: u64 = 25;
/// `defaultSpamQPS` is 1/300: one more event every 5 minutes, in milliseconds.
const SPAM_REFILL_MS: u64 = 300_000;
/// `defaultAggregateMaxEvents`: distinct similar messages before they are combined.
const AGGREGATE_MAX_EVENTS: usize = 10;
/// `defaultAggregateIntervalInSeconds`: similar events further apart start afresh.
const AGGREGATE_INTERVAL_MS: u64 = 600_000;
/// `EventAggregatorByReasonMessageFunc`'s prefix.
const COMBINED_PREFIX: &str = "(combined from similar events): ";

/// One event as the API server stores it.
pub struct StoredEvent<'a> {
    /// The last occurrence that was written (its object, type, reason, source and message).
    pub event: &'a EventRecord,
    /// Whether it is the combined event of many similar ones.
    pub combined: bool,
    /// `firstTimestamp`: the first occurrence, written or not.
    pub first: Time,
    /// `lastTimestamp`: the last occurrence that was written.
    pub last: Time,
    /// `count`: occurrences up to the last one that was written.
    pub count: usize,
}

impl StoredEvent<'_> {
    /// The stored message: the event's own, or the combined one.
    pub fn message(&self) -> Cow<'_, str> {
        if self.combined {
            Cow::Owned([COMBINED_PREFIX, &self.event.message].concat())
        } else {
            Cow::Borrowed(&self.event.message)
        }
    }
}

/// The component's recorder goes through the correlator (see the module documentation).
fn correlated(source: EventSource) -> bool {
    source != EventSource::Scheduler
}

/// Similar events: one object, one component, one type and reason.
type SimilarKey<'a> = (EventObject, &'a str, EventType, Reason, EventSource);

/// What the correlator looks up, in one map (one copy of the hash map's code in the app); each
/// kind of key leads to its own list.
#[derive(PartialEq, Eq, Hash)]
enum Key<'a> {
    /// The spam filter's bucket for a component and an object.
    Bucket(EventSource, EventObject, &'a str),
    /// The aggregator's record of similar events.
    Similar(SimilarKey<'a>),
    /// A stored event: its similar key and message (`None`: the combined event).
    Stored(SimilarKey<'a>, Option<&'a str>),
}

/// The aggregator's record of one `SimilarKey`.
struct Similar<'a> {
    /// The distinct messages seen, oldest first (at most `AGGREGATE_MAX_EVENTS - 1` kept).
    messages: Vec<&'a str>,
    last: Time,
}

/// The spam filter's token bucket for one component and object, in milliseconds of refill:
/// a full bucket holds `SPAM_BURST` events' worth.
struct Bucket {
    credit_ms: u64,
    at: Time,
}

impl Bucket {
    fn full(at: Time) -> Bucket {
        Bucket {
            credit_ms: SPAM_BURST * SPAM_REFILL_MS,
            at,
        }
    }

    /// `TryAccept`: refill for the time since the last event, then take one event's worth.
    fn try_take(&mut self, at: Time) -> bool {
        let refill = at.0.saturating_sub(self.at.0);
        self.credit_ms = (self.credit_ms + refill).min(SPAM_BURST * SPAM_REFILL_MS);
        self.at = at;
        let allowed = self.credit_ms >= SPAM_REFILL_MS;
        if allowed {
            self.credit_ms -= SPAM_REFILL_MS;
        }
        allowed
    }
}

/// A stored event in the making: every occurrence is counted, only written ones show.
struct Tally<'a> {
    stored: StoredEvent<'a>,
    observed: usize,
    written: bool,
}

/// What became of one emitted event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fate {
    /// It went to the API server (as itself, or as an update of the event it repeats or of the
    /// combined event); `false`: the spam filter dropped it.
    pub written: bool,
    /// It was folded into the combined event of its similar events.
    pub combined: bool,
}

/// The correlator's state: events go through it one at a time, in the order they happened.
#[derive(Default)]
pub struct Correlator<'a> {
    index: HashMap<Key<'a>, usize>,
    similars: Vec<Similar<'a>>,
    buckets: Vec<Bucket>,
    tallies: Vec<Tally<'a>>,
}

impl<'a> Correlator<'a> {
    /// Aggregates, counts and filters one event (see the module documentation).
    pub fn observe(&mut self, e: &'a EventRecord) -> Fate {
        let key: SimilarKey<'a> = (e.kind, e.name.as_str(), e.type_, e.reason, e.source);
        let message = e.message.as_str();
        let correlated = correlated(e.source);
        let combined = correlated && self.aggregate(key, message, e.at);
        let stored = Key::Stored(key, (!combined).then_some(message));
        let tallies = &mut self.tallies;
        let t = *self.index.entry(stored).or_insert_with(|| {
            tallies.push(Tally {
                stored: StoredEvent {
                    event: e,
                    combined,
                    first: e.at,
                    last: e.at,
                    count: 0,
                },
                observed: 0,
                written: false,
            });
            tallies.len() - 1
        });
        self.tallies[t].observed += 1;
        let written = !correlated || {
            let bucket = Key::Bucket(e.source, e.kind, e.name.as_str());
            let buckets = &mut self.buckets;
            let b = *self.index.entry(bucket).or_insert_with(|| {
                buckets.push(Bucket::full(e.at));
                buckets.len() - 1
            });
            self.buckets[b].try_take(e.at)
        };
        if written {
            let tally = &mut self.tallies[t];
            tally.written = true;
            tally.stored.event = e;
            tally.stored.last = e.at;
            tally.stored.count = tally.observed;
        }
        Fate { written, combined }
    }

    /// `EventAggregate`: records the message among its similar events' and says whether the
    /// event is to be combined with them.
    fn aggregate(&mut self, key: SimilarKey<'a>, message: &'a str, at: Time) -> bool {
        let similars = &mut self.similars;
        let r = *self.index.entry(Key::Similar(key)).or_insert_with(|| {
            similars.push(Similar {
                messages: Vec::new(),
                last: at,
            });
            similars.len() - 1
        });
        let record = &mut self.similars[r];
        if at.0.saturating_sub(record.last.0) > AGGREGATE_INTERVAL_MS {
            record.messages.clear();
        }
        if !record.messages.contains(&message) {
            record.messages.push(message);
        }
        record.last = at;
        let combine = record.messages.len() >= AGGREGATE_MAX_EVENTS;
        if combine {
            record.messages.remove(0);
        }
        combine
    }

    /// The stored events, in the order they were last written.
    pub fn into_stored(self) -> Vec<StoredEvent<'a>> {
        let mut stored: Vec<StoredEvent<'a>> = self
            .tallies
            .into_iter()
            .filter(|t| t.written)
            .map(|t| t.stored)
            .collect();
        crate::sort::sort_by(&mut stored, |a, b| a.last.cmp(&b.last));
        stored
    }
}

/// The events the API server stores of `events` (in the order they happened), listed in the
/// order they were last written, as `kubectl describe` sorts them.
pub fn stored_events<'a>(events: impl Iterator<Item = &'a EventRecord>) -> Vec<StoredEvent<'a>> {
    let mut correlator = Correlator::default();
    for e in events {
        correlator.observe(e);
    }
    correlator.into_stored()
}

/// What became of each of `events` (in the order they happened), for a list of everything the
/// components emitted that marks what the API server never stored.
pub fn fates(events: &[EventRecord]) -> Vec<Fate> {
    let mut correlator = Correlator::default();
    events.iter().map(|e| correlator.observe(e)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::text::Text;

    fn event(
        at_s: u64,
        kind: EventObject,
        name: &str,
        reason: Reason,
        message: &str,
    ) -> EventRecord {
        let source = match kind {
            EventObject::Pod => EventSource::Kubelet,
            EventObject::CronJob => EventSource::CronJobController,
            _ => EventSource::JobController,
        };
        EventRecord {
            at: Time::from_secs(at_s),
            kind,
            name: Text::from(name.to_string()),
            type_: EventType::Normal,
            reason,
            message: Text::from(message.to_string()),
            source,
        }
    }

    /// (message, count, first s, last s) of each stored event.
    fn shown(events: &[EventRecord]) -> Vec<(String, usize, u64, u64)> {
        stored_events(events.iter())
            .iter()
            .map(|s| {
                (
                    s.message().into_owned(),
                    s.count,
                    s.first.0 / 1000,
                    s.last.0 / 1000,
                )
            })
            .collect()
    }

    #[test]
    fn the_tenth_similar_message_starts_the_combined_event() {
        let created: Vec<EventRecord> = (0..30)
            .map(|i| {
                event(
                    i,
                    EventObject::Job,
                    "bulk",
                    Reason::SuccessfulCreate,
                    &format!("Created pod: bulk-{i:02}"),
                )
            })
            .collect();
        let shown = shown(&created);
        assert_eq!(shown.len(), 10);
        for (i, (message, count, first, last)) in shown.iter().take(9).enumerate() {
            assert_eq!(
                (message.as_str(), *count),
                (format!("Created pod: bulk-{i:02}").as_str(), 1)
            );
            assert_eq!((*first, *last), (i as u64, i as u64));
        }
        // Events 10 to 25 pass the spam filter (25 in all); 26 to 30 are counted but not written.
        assert_eq!(
            shown[9],
            (
                "(combined from similar events): Created pod: bulk-24".to_string(),
                16,
                9,
                24
            )
        );
    }

    #[test]
    fn over_the_burst_one_event_every_five_minutes_carries_the_full_count() {
        // A CrashLoopBackOff pod: the same BackOff message every 10 s for an hour.
        let backoff: Vec<EventRecord> = (0..360)
            .map(|i| {
                event(
                    i * 10,
                    EventObject::Pod,
                    "p",
                    Reason::BackOff,
                    "Back-off restarting failed container",
                )
            })
            .collect();
        // The first 25 are written (0 to 240 s); the bucket then refills one event's worth every
        // 300 s, so 300, 600 … 3300 s get through, the last with the 331 counted by then.
        let shown = shown(&backoff);
        let expected = (
            "Back-off restarting failed container".to_string(),
            331,
            0,
            3300,
        );
        assert_eq!(shown, vec![expected]);
    }

    #[test]
    fn each_event_s_fate_says_whether_it_was_written_and_combined() {
        let created: Vec<EventRecord> = (0..30)
            .map(|i| {
                let message = format!("Created pod: bulk-{i:02}");
                event(
                    i,
                    EventObject::Job,
                    "bulk",
                    Reason::SuccessfulCreate,
                    &message,
                )
            })
            .collect();
        let fates = fates(&created);
        let written = |f: &&Fate| f.written;
        let combined = |f: &&Fate| f.combined;
        assert_eq!(fates.iter().filter(written).count(), 25);
        assert_eq!(fates.iter().filter(combined).count(), 21);
        assert!(fates[..25].iter().all(|f| f.written));
        assert!(fates[..9].iter().all(|f| !f.combined));
    }

    #[test]
    fn similar_events_ten_minutes_apart_start_afresh_and_the_scheduler_is_only_counted() {
        let mut events: Vec<EventRecord> = (0..12)
            .map(|i| {
                event(
                    i * 601,
                    EventObject::Job,
                    "slow",
                    Reason::SuccessfulCreate,
                    &format!("Created pod: slow-{i}"),
                )
            })
            .collect();
        for i in 0..30 {
            let mut e = event(
                i,
                EventObject::Pod,
                "pending",
                Reason::FailedScheduling,
                "0/3 nodes are available",
            );
            e.source = EventSource::Scheduler;
            events.push(e);
        }
        let shown = shown(&events);
        assert_eq!(shown.len(), 13);
        assert!(shown.iter().all(|(m, ..)| !m.starts_with(COMBINED_PREFIX)));
        assert!(shown.contains(&("0/3 nodes are available".to_string(), 30, 0, 29)));
    }
}
