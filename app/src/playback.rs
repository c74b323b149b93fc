//! Playback of a simulated run: a cursor moving over a timeline that was computed whole. Play, pause,
//! speed, step to the next event and scrub are actions on this small reducer; nothing re-simulates.

use std::rc::Rc;
use yew::Reducible;

/// The speeds offered, as multiples of real time.
pub const SPEEDS: [f64; 7] = [1.0, 5.0, 10.0, 30.0, 100.0, 300.0, 1000.0];

#[derive(Debug, Clone, PartialEq)]
pub struct Playback {
    /// The current instant, seconds from the start.
    pub at: f64,
    /// Where the run ends.
    pub end: f64,
    pub playing: bool,
    pub speed: f64,
}

impl Playback {
    pub fn new(end: f64) -> Playback {
        Playback {
            at: 0.0,
            end: end.max(0.0),
            playing: false,
            speed: 10.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlaybackAction {
    Play,
    Pause,
    /// Real seconds elapsed while playing.
    Tick(f64),
    Seek(f64),
    SetSpeed(f64),
    /// A new run replaced the old one: keep the cursor where it was, within the new end.
    NewEnd(f64),
}

impl Playback {
    pub fn apply(&mut self, action: PlaybackAction) {
        match action {
            PlaybackAction::Play => {
                if self.at >= self.end {
                    self.at = 0.0;
                }
                self.playing = self.end > 0.0;
            }
            PlaybackAction::Pause => self.playing = false,
            PlaybackAction::Tick(real) if self.playing => {
                self.at = (self.at + real.max(0.0) * self.speed).min(self.end);
                if self.at >= self.end {
                    self.playing = false;
                }
            }
            PlaybackAction::Tick(_) => {}
            PlaybackAction::Seek(t) => self.at = t.clamp(0.0, self.end),
            PlaybackAction::SetSpeed(s) => {
                self.speed = s.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1])
            }
            PlaybackAction::NewEnd(end) => {
                self.end = end.max(0.0);
                self.at = self.at.min(self.end);
                if self.at >= self.end {
                    self.playing = false;
                }
            }
        }
    }
}

impl Reducible for Playback {
    type Action = PlaybackAction;

    fn reduce(self: Rc<Self>, action: PlaybackAction) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// A duration as the timeline's axis and cursor show it: `45s`, `2m05s`, `1h02m`, `3d04h`.
pub fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d{:02}h", s / 86_400, s % 86_400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playing_advances_at_speed_and_stops_at_the_end() {
        let mut p = Playback::new(100.0);
        p.apply(PlaybackAction::SetSpeed(30.0));
        p.apply(PlaybackAction::Play);
        p.apply(PlaybackAction::Tick(1.0));
        assert_eq!(p.at, 30.0);
        p.apply(PlaybackAction::Tick(10.0));
        assert_eq!(p.at, 100.0);
        assert!(!p.playing);
        // Play again from the end restarts from zero.
        p.apply(PlaybackAction::Play);
        assert_eq!(p.at, 0.0);
        assert!(p.playing);
    }

    #[test]
    fn paused_ticks_do_nothing_and_seeks_are_clamped() {
        let mut p = Playback::new(60.0);
        p.apply(PlaybackAction::Tick(5.0));
        assert_eq!(p.at, 0.0);
        p.apply(PlaybackAction::Seek(99.0));
        assert_eq!(p.at, 60.0);
        p.apply(PlaybackAction::Seek(-1.0));
        assert_eq!(p.at, 0.0);
        p.apply(PlaybackAction::SetSpeed(1e9));
        assert_eq!(p.speed, 1000.0);
    }

    #[test]
    fn a_shorter_new_run_pulls_the_cursor_in() {
        let mut p = Playback::new(600.0);
        p.apply(PlaybackAction::Seek(300.0));
        p.apply(PlaybackAction::NewEnd(120.0));
        assert_eq!(p.at, 120.0);
        p.apply(PlaybackAction::NewEnd(900.0));
        assert_eq!(p.at, 120.0);
    }

    #[test]
    fn clock_reads_like_kubectl_ages() {
        assert_eq!(clock(0.0), "0s");
        assert_eq!(clock(125.0), "2m05s");
        assert_eq!(clock(3720.0), "1h02m");
        assert_eq!(clock(97_200.0), "1d03h");
    }
}
