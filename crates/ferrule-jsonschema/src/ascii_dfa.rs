//! [`AsciiDfa`]: a `pattern` as a small table of states over ASCII bytes, read off the `regex`
//! crate's own lazy DFA for the pattern when it is compiled. FHIR's `date`, `dateTime` and
//! `code` patterns cost a few hundred instructions each through `regex::Regex::is_match` on a
//! ten-byte string (its cache pool, search set-up and lazy transitions); the table costs a load
//! per byte. A string with a byte the table has no answer for (non-ASCII) goes to the regex,
//! so the answers are the regex's by construction.

use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::{Anchored, Input};

/// Next-state value: a match was seen (the answer is yes whatever follows).
const MATCH: u8 = u8::MAX;
/// Next-state value: no match can be found whatever follows.
const DEAD: u8 = u8::MAX - 1;
/// Next-state value of every non-ASCII byte: the table has no answer. The three values above
/// the states make one compare per byte decide whether the loop goes on.
const UNKNOWN: u8 = u8::MAX - 2;
/// At most this many states (tables of 128 bytes each); a pattern that needs more keeps the
/// regex alone.
const MAX_STATES: usize = 64;

#[derive(Debug, Clone)]
pub(crate) struct AsciiDfa {
    /// `next[state][byte]`: the next state, [`MATCH`], [`DEAD`] or (for a non-ASCII byte)
    /// [`UNKNOWN`]. State 0 starts.
    next: Box<[[u8; 256]]>,
    /// Per state: whether the end of the string completes a match.
    at_end: Box<[bool]>,
}

impl AsciiDfa {
    /// The table of `translated` (a pattern in `regex` syntax, searched unanchored as
    /// `regex::Regex::is_match` does), or `None` when it would be too large or the lazy DFA
    /// cannot answer for some ASCII byte (it gives up on Unicode word boundaries).
    pub(crate) fn new(translated: &str, nfa_size_limit: usize) -> Option<AsciiDfa> {
        let dfa = DFA::builder()
            .thompson(thompson::Config::new().nfa_size_limit(Some(nfa_size_limit)))
            .build(translated)
            .ok()?;
        let mut cache = dfa.create_cache();
        let start = dfa
            .start_state_forward(&mut cache, &Input::new("").anchored(Anchored::No))
            .ok()?;
        let mut states: Vec<LazyStateID> = vec![start];
        let mut next = Vec::new();
        let mut at_end = Vec::new();
        let mut i = 0;
        while i < states.len() {
            let current = states[i];
            let mut row = [UNKNOWN; 256];
            for byte in 0..128u8 {
                let to = step(&dfa, &mut cache, current, Some(byte))?;
                let value = match to {
                    Step::Match => MATCH,
                    Step::Dead => DEAD,
                    Step::State(id) => match states.iter().position(|&s| s == id) {
                        Some(index) => index as u8,
                        None if states.len() < MAX_STATES => {
                            states.push(id);
                            (states.len() - 1) as u8
                        }
                        None => return None,
                    },
                };
                row[usize::from(byte)] = value;
            }
            next.push(row);
            at_end.push(matches!(
                step(&dfa, &mut cache, current, None)?,
                Step::Match
            ));
            i += 1;
        }
        Some(AsciiDfa {
            next: next.into_boxed_slice(),
            at_end: at_end.into_boxed_slice(),
        })
    }

    /// Whether the pattern matches `bytes`; `None` when a non-ASCII byte comes before the
    /// answer is known.
    #[inline]
    pub(crate) fn is_match(&self, bytes: &[u8]) -> Option<bool> {
        let mut state = 0usize;
        for &b in bytes {
            let to = self.next[state][usize::from(b)];
            if to >= UNKNOWN {
                return match to {
                    MATCH => Some(true),
                    DEAD => Some(false),
                    _ => None,
                };
            }
            state = usize::from(to);
        }
        Some(self.at_end[state])
    }
}

enum Step {
    Match,
    Dead,
    State(LazyStateID),
}

/// The lazy DFA's transition from `current` on `byte` (the end of the input for `None`).
/// Matches are reported one byte late, so a match state after a byte means a match ending
/// before it, whatever comes next.
fn step(dfa: &DFA, cache: &mut Cache, current: LazyStateID, byte: Option<u8>) -> Option<Step> {
    let to = match byte {
        Some(b) => dfa.next_state(cache, current, b),
        None => dfa.next_eoi_state(cache, current),
    }
    .ok()?;
    // A cleared cache would renumber states: the exploration would be wrong, so give up.
    if cache.clear_count() > 0 || to.is_quit() || to.is_unknown() {
        return None;
    }
    Some(if to.is_match() {
        Step::Match
    } else if to.is_dead() {
        Step::Dead
    } else {
        Step::State(to)
    })
}

#[cfg(test)]
mod tests {
    use super::AsciiDfa;

    /// Every ASCII string of up to three characters from a small alphabet, and longer ones,
    /// answered as the regex answers.
    #[test]
    fn answers_like_the_regex() {
        let alphabet = [
            "a", "Z", "0", "9", "1", "-", ":", " ", "\n", "T", ".", "e", "x",
        ];
        let mut texts: Vec<String> = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        texts.extend(
            [
                "1982-08-02",
                "2013-06-08T10:57:34+01:00",
                "2013-06-08T10:57:34.5Z",
                "1982-13-02",
                "usual",
                "two words",
                "two  spaces",
                " lead",
                "trail ",
                "-0.5e10",
                "urn:oid:1.2.3",
                "x\u{e9}",
                "\u{e9}x",
            ]
            .map(String::from),
        );
        for pattern in [
            r"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$",
            r"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$",
            r"^[^\s]+(\s[^\s]+)*$",
            r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$",
            r"^true|false$",
            r"^[0]|([1-9][0-9]*)$",
            r"a+b",
            r"x",
            r"^$",
            r"\ba",
            r"a\b",
            r"a$",
            r"^a{2,3}$",
            r"[0-9]{2}",
        ] {
            let translated = crate::ecma::translate(pattern, false).unwrap();
            let regex = regex::Regex::new(&translated).unwrap();
            let dfa = AsciiDfa::new(&translated, 50 << 20).expect(pattern);
            for text in &texts {
                let answer = dfa.is_match(text.as_bytes());
                if text.is_ascii() {
                    assert_eq!(answer, Some(regex.is_match(text)), "{pattern} {text:?}");
                } else if let Some(answer) = answer {
                    assert_eq!(answer, regex.is_match(text), "{pattern} {text:?}");
                }
            }
        }
    }

    /// A pattern needing more states than the table holds keeps the regex alone.
    #[test]
    fn large_patterns_get_no_table() {
        assert!(AsciiDfa::new("^[a-z]{100}$", 50 << 20).is_none());
    }
}
