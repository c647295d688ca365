//! [`Tape`]: JSON text parsed into one flat `Vec` of small nodes that borrow from the text, the
//! representation the `*_json` methods validate. Building a [`crate::Value`] tree costs an
//! allocation per string, array and object (and as many frees afterwards); a tape costs a few
//! vectors per document, reused across documents on the same thread.
//!
//! Layout: every value is one [`Node`], in document order. An array's items follow its node;
//! an object's members follow its node as a key node (a string) then the value's nodes. A
//! container node records the index just past its last descendant, so a sibling is one jump
//! away. Strings without escapes are ranges of the text; escaped keys are decoded into one side
//! buffer, escaped values only checked while parsing and decoded when the validator first
//! reads them (most are never read: a schema with no string keyword for them). Integers of up to 18 digits are stored in the node; other numbers stay ranges of the
//! text and are converted when the validator asks for them.

use std::cell::RefCell;

use crate::json::{Json, Kind};
use crate::number::Number;
use crate::parser::{self, ParseError, Parser, ScannedNumber, number_from_text};
use crate::value::Value;

/// One value, or an object key. `a` and `b` depend on the tag (see the constants); `next` is
/// the index after the node and its descendants (after the member's value, for a key), so
/// that iterating a container is one load per item.
#[derive(Debug, Clone, Copy)]
struct Node {
    tag: u8,
    a: u32,
    b: u32,
    next: u32,
}

const NULL: u8 = 0;
const TRUE: u8 = 1;
const FALSE: u8 = 2;
/// An `i64`: `a` its low half, `b` its high half.
const INT: u8 = 3;
/// A float (also `NaN`, `Infinity`): text `a..b`.
const FLOAT: u8 = 4;
/// An integer of more than 18 digits: text `a..b`.
const LONG_INT: u8 = 5;
/// A string without escapes: text `a..b`.
const STR: u8 = 6;
/// An escaped string, decoded: `unescaped[a..b]`.
const ESCAPED: u8 = 7;
/// An escaped string value, checked but not decoded: text `a..b`, decoded on first read
/// ([`Tape::decoded`]).
const RAW: u8 = 10;
/// `a` items.
const ARRAY: u8 = 8;
/// `a` distinct members.
const OBJECT: u8 = 9;
const KIND: u8 = 0x0f;
/// On a key node: a later member repeats this key, so it is skipped (Python keeps the first
/// position and the last value).
const SHADOWED: u8 = 0x40;
/// On a key node: the member's value is not the next node but the last repeat's value (in
/// [`Tape::redirects`]).
const REDIRECTED: u8 = 0x80;

/// Objects with more members than this find repeated keys with a hash set, smaller ones by
/// comparing every pair.
const PAIRWISE_MEMBERS: usize = 16;

/// Parsed JSON text; [`Tape::root`] is the [`Json`] view the validator walks.
#[derive(Debug, Default)]
pub(crate) struct Tape<'t> {
    text: &'t str,
    nodes: Vec<Node>,
    unescaped: String,
    /// `(key node, value node)` for the first occurrence of a repeated key.
    redirects: Vec<(u32, u32)>,
    /// [`RAW`] strings decoded so far, by node. Entries are only ever added, and a `Box<str>`
    /// does not move when the map grows, so a decoded string lives as long as the tape.
    /// Made on the first decode (most documents have none).
    decoded: RefCell<Option<crate::hash::Map<u32, Box<str>>>>,
}

/// The buffers of a tape, kept between documents.
struct Buffers {
    nodes: Vec<Node>,
    unescaped: String,
    redirects: Vec<(u32, u32)>,
    /// Open containers: the node, and for an object the key node of the current member.
    open: Vec<(u32, u32)>,
    /// An object's key nodes and their [`fingerprint`]s.
    keys: Vec<(u32, u32)>,
}

impl Buffers {
    /// No buffers yet: a constant, so that the thread-local needs no lazy initialization.
    const EMPTY: Buffers = Buffers {
        nodes: Vec::new(),
        unescaped: String::new(),
        redirects: Vec::new(),
        open: Vec::new(),
        keys: Vec::new(),
    };
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = const { RefCell::new(Buffers::EMPTY) };
}

/// Buffers above this many bytes are freed after use rather than kept for the next document.
const KEEP_BYTES: usize = 16 << 20;

/// Parses `input` into a tape (buffers reused from earlier calls on this thread) and runs `f`
/// on it; malformed text gets [`parser::parse`]'s error. `None` when the caller must use the
/// tree instead: text too long for the tape's 32-bit offsets, or (a bug, never seen) text the
/// tape refuses and the tree parser accepts.
pub(crate) fn with_tape<R>(
    input: &[u8],
    f: impl FnOnce(&Tape<'_>) -> R,
) -> Option<Result<R, ParseError>> {
    if u32::try_from(input.len()).is_err() {
        return None;
    }
    // The thread's buffers borrowed in place (moving them out and back cost a tenth of a
    // small document); fresh ones if a tape is already being built on this thread.
    let mut f = Some(f);
    let mut run = |buffers: &mut Buffers| {
        let f = f.take()?;
        Some(with_buffers(input, buffers, f))
    };
    BUFFERS
        .with(|b| b.try_borrow_mut().ok().map(|mut b| run(&mut b)))
        .unwrap_or_else(|| {
            let mut fresh = Buffers::EMPTY;
            run(&mut fresh)
        })
        .flatten()
}

/// [`with_tape`] with the buffers of `buffers`, left there for the next document unless
/// they grew above [`KEEP_BYTES`].
fn with_buffers<R>(
    input: &[u8],
    buffers: &mut Buffers,
    f: impl FnOnce(&Tape<'_>) -> R,
) -> Option<Result<R, ParseError>> {
    let Ok(tape) = Tape::build(input, buffers) else {
        // Malformed text (the tape's buffers go with it): the tree parser tells where and why.
        let Err(e) = parser::parse(input) else {
            debug_assert!(false, "the tape and the parser disagree on {input:?}");
            return None;
        };
        return Some(Err(e));
    };
    let out = f(&tape);
    let size = tape.nodes.capacity() * size_of::<Node>() + tape.unescaped.capacity();
    if size <= KEEP_BYTES {
        buffers.nodes = tape.nodes;
        buffers.unescaped = tape.unescaped;
        buffers.redirects = tape.redirects;
    }
    Some(Ok(out))
}

impl<'t> Tape<'t> {
    /// Parses `input` with the buffers of `buffers` (cleared first). A failure only says
    /// that the text is not JSON: [`parser::parse`] tells why.
    fn build(input: &'t [u8], buffers: &mut Buffers) -> Result<Tape<'t>, ()> {
        let text = crate::scan::to_str(input).map_err(drop)?;
        let mut tape = Tape {
            text,
            nodes: std::mem::take(&mut buffers.nodes),
            unescaped: std::mem::take(&mut buffers.unescaped),
            redirects: std::mem::take(&mut buffers.redirects),
            decoded: RefCell::default(),
        };
        tape.nodes.clear();
        tape.unescaped.clear();
        tape.redirects.clear();
        let mut parser = Parser::new(input, text);
        buffers.open.clear();
        tape.fill(&mut parser, buffers)?;
        parser.skip_ws();
        if parser.pos != input.len() {
            return Err(());
        }
        Ok(tape)
    }

    /// The document's value.
    pub(crate) fn root(&self) -> TapeJson<'_> {
        TapeJson { tape: self, at: 0 }
    }

    /// Parses one value into the nodes; iterative, nesting bounded as [`parser::parse`] bounds
    /// it. A failure only says that the text is not JSON.
    fn fill(&mut self, p: &mut Parser<'_>, buffers: &mut Buffers) -> Result<(), ()> {
        let open = &mut buffers.open;
        loop {
            p.skip_ws();
            let byte = p.peek().map_err(drop)?;
            match byte {
                b'n' => self.literal(p, b"null", NULL)?,
                b't' => self.literal(p, b"true", TRUE)?,
                b'f' => self.literal(p, b"false", FALSE)?,
                b'N' => self.float_literal(p, b"NaN")?,
                b'I' => self.float_literal(p, b"Infinity")?,
                b'"' => self.string_value(p)?,
                b'-' | b'0'..=b'9' => self.number(p)?,
                b'[' | b'{' => {
                    if open.len() >= parser::DEFAULT_MAX_DEPTH {
                        return Err(());
                    }
                    let tag = if byte == b'[' { ARRAY } else { OBJECT };
                    let at = self.push(tag, 0, 0);
                    p.pos += 1;
                    p.skip_ws();
                    let close = if byte == b'[' { b']' } else { b'}' };
                    if p.peek().map_err(drop)? == close {
                        p.pos += 1;
                    } else {
                        let key = if tag == OBJECT { self.key(p)? } else { 0 };
                        open.push((at, key));
                        continue;
                    }
                }
                _ => return Err(()),
            }
            // A value is complete: count it in its container, then close containers that end.
            loop {
                let end = self.len();
                let Some((container, key)) = open.last_mut() else {
                    return Ok(());
                };
                let container = *container;
                let node = &mut self.nodes[container as usize];
                node.a += 1;
                let is_object = node.tag == OBJECT;
                if is_object {
                    self.nodes[*key as usize].next = end;
                }
                p.skip_ws();
                match p.peek().map_err(drop)? {
                    b',' => {
                        p.pos += 1;
                        if is_object {
                            *key = self.key(p)?;
                        }
                        break;
                    }
                    b']' if !is_object => {}
                    b'}' if is_object => {}
                    _ => return Err(()),
                }
                p.pos += 1;
                open.pop();
                self.nodes[container as usize].next = end;
                if is_object {
                    self.merge_repeated_keys(container, &mut buffers.keys);
                }
            }
        }
    }

    fn len(&self) -> u32 {
        self.nodes.len() as u32
    }

    #[inline(always)]
    #[expect(
        clippy::inline_always,
        reason = "measured: one fill loop without calls per node"
    )]
    fn push(&mut self, tag: u8, a: u32, b: u32) -> u32 {
        let at = self.len();
        self.nodes.push(Node {
            tag,
            a,
            b,
            next: at + 1,
        });
        at
    }

    fn literal(&mut self, p: &mut Parser<'_>, text: &[u8], tag: u8) -> Result<(), ()> {
        p.expect(text).map_err(drop)?;
        self.push(tag, 0, 0);
        Ok(())
    }

    fn float_literal(&mut self, p: &mut Parser<'_>, text: &[u8]) -> Result<(), ()> {
        let start = p.pos as u32;
        p.expect(text).map_err(drop)?;
        self.push(FLOAT, start, p.pos as u32);
        Ok(())
    }

    /// Whether the string at `p` has no escapes: then it is pushed as [`STR`] and `p` is past
    /// it; otherwise `p` is left at the end of its plain run (an escape or an error).
    // Inlined into the fill loop with `key` and `string_value`: a call per string (a
    // document's most common node) cost more than its scan.
    #[inline(always)]
    #[expect(
        clippy::inline_always,
        reason = "measured: one fill loop without calls per node"
    )]
    fn plain_string(&mut self, p: &mut Parser<'_>) -> bool {
        let first = p.pos + 1;
        let end = first + parser::plain_run(&p.input[first..]);
        if p.input.get(end) == Some(&b'"') {
            p.pos = end + 1;
            self.push(STR, first as u32, end as u32);
            return true;
        }
        p.pos = end;
        false
    }

    #[inline(always)]
    #[expect(
        clippy::inline_always,
        reason = "measured: one fill loop without calls per node"
    )]
    fn string(&mut self, p: &mut Parser<'_>) -> Result<(), ()> {
        let first = p.pos + 1;
        if self.plain_string(p) {
            return Ok(());
        }
        self.escaped_string(p, first)
    }

    /// The rest of a string with an escape (or an error) at `p.pos`, its content starting at
    /// `first`: the run before the escape is kept and the rest decoded.
    #[inline(never)]
    fn escaped_string(&mut self, p: &mut Parser<'_>, first: usize) -> Result<(), ()> {
        let start = self.unescaped.len() as u32;
        self.unescaped.push_str(p.text.get(first..p.pos).ok_or(())?);
        p.unescape_into(&mut self.unescaped).map_err(drop)?;
        let end = u32::try_from(self.unescaped.len()).map_err(drop)?;
        self.push(ESCAPED, start, end);
        Ok(())
    }

    /// A string value: an escaped one is checked, not decoded ([`RAW`]).
    #[inline(always)]
    #[expect(
        clippy::inline_always,
        reason = "measured: one fill loop without calls per node"
    )]
    fn string_value(&mut self, p: &mut Parser<'_>) -> Result<(), ()> {
        let first = p.pos + 1;
        if self.plain_string(p) {
            return Ok(());
        }
        p.skip_escaped()?;
        self.push(RAW, first as u32, (p.pos - 1) as u32);
        Ok(())
    }

    /// An object key and its colon; the key's node.
    #[inline(always)]
    #[expect(
        clippy::inline_always,
        reason = "measured: one fill loop without calls per node"
    )]
    fn key(&mut self, p: &mut Parser<'_>) -> Result<u32, ()> {
        p.key_start().map_err(drop)?;
        self.string(p)?;
        p.colon().map_err(drop)?;
        Ok(self.len() - 1)
    }

    fn number(&mut self, p: &mut Parser<'_>) -> Result<(), ()> {
        match p.scan_number().map_err(drop)? {
            ScannedNumber::Small(i) => {
                let bits = i as u64;
                self.push(INT, bits as u32, (bits >> 32) as u32);
            }
            ScannedNumber::Text { start, is_float } => {
                let tag = if is_float { FLOAT } else { LONG_INT };
                self.push(tag, start as u32, p.pos as u32);
            }
        }
        Ok(())
    }

    /// Python's `json` keeps a repeated key at its first position with its last value: the
    /// first key node is pointed at the last value and the later ones are marked skipped.
    fn merge_repeated_keys(&mut self, object: u32, keys: &mut Vec<(u32, u32)>) {
        let count = self.nodes[object as usize].a as usize;
        if count < 2 {
            return;
        }
        keys.clear();
        let end = self.nodes[object as usize].next;
        let mut key = object + 1;
        while key < end {
            keys.push((key, fingerprint(self.key_at(key))));
            key = self.nodes[key as usize].next;
        }
        let mut repeats = 0;
        if keys.len() <= PAIRWISE_MEMBERS {
            // Pairs are told apart by a fingerprint first: comparing every pair's strings
            // was a fifth of the tape's cost on a FHIR resource (14 distinct keys).
            for j in 1..keys.len() {
                let (later, print) = keys[j];
                // The fingerprints alone in the common loop; strings only on a tie.
                if !keys[..j].iter().any(|&(_, p)| p == print) {
                    continue;
                }
                if let Some(first) = self.same_key(&keys[..j], later, print) {
                    self.redirect(first, later);
                    repeats += 1;
                }
            }
        } else {
            let mut found = Vec::new();
            let mut seen = std::collections::HashMap::with_capacity(keys.len());
            for &(k, _) in keys.iter() {
                if let Some(&first) = seen.get(self.key_at(k)) {
                    found.push((first, k));
                } else {
                    seen.insert(self.key_at(k), k);
                }
            }
            drop(seen);
            for (first, later) in found {
                self.redirect(first, later);
                repeats += 1;
            }
        }
        self.nodes[object as usize].a -= repeats;
    }

    /// The first of `keys` equal to the key node `later`, among those sharing its fingerprint.
    #[cold]
    #[inline(never)]
    fn same_key(&self, keys: &[(u32, u32)], later: u32, print: u32) -> Option<u32> {
        let name = self.key_at(later);
        keys.iter()
            .find(|&&(i, p)| p == print && self.key_at(i) == name)
            .map(|&(i, _)| i)
    }

    /// `first` (a key's first occurrence, never itself skipped) takes the value of `later`,
    /// which is skipped.
    fn redirect(&mut self, first: u32, later: u32) {
        self.nodes[later as usize].tag |= SHADOWED;
        self.nodes[first as usize].tag |= REDIRECTED;
        match self.redirects.iter_mut().find(|(k, _)| *k == first) {
            Some(slot) => slot.1 = later + 1,
            None => self.redirects.push((first, later + 1)),
        }
    }

    /// The string of a string node.
    #[inline]
    fn str_at(&self, at: u32) -> &str {
        let node = self.nodes[at as usize];
        if node.tag & KIND == RAW {
            return self.decoded(at, node);
        }
        self.in_place(node)
    }

    /// The string of a key node: never [`RAW`] (keys are decoded while parsing), so the
    /// members of an object skip that test.
    #[inline]
    fn key_at(&self, at: u32) -> &str {
        self.in_place(self.nodes[at as usize])
    }

    /// The string of a [`STR`] or [`ESCAPED`] node.
    #[inline]
    fn in_place(&self, node: Node) -> &str {
        debug_assert!(matches!(node.tag & KIND, STR | ESCAPED));
        let base = if node.tag & KIND == ESCAPED {
            self.unescaped.as_str()
        } else {
            self.text
        };
        debug_assert!(base.get(node.a as usize..node.b as usize).is_some());
        // SAFETY: the builder records a string's range only after reading it whole: in the text,
        // from after the opening quote to before the closing one (ASCII, so char boundaries of
        // the UTF-8 validated text); in `unescaped`, its length before and after decoding the
        // string. Neither buffer changes after building.
        unsafe { base.get_unchecked(node.a as usize..node.b as usize) }
    }

    /// The string of a [`RAW`] node, decoded on first read.
    #[cold]
    fn decoded(&self, at: u32, node: Node) -> &str {
        let mut decoded = self.decoded.borrow_mut();
        let decoded = decoded.get_or_insert_with(|| crate::hash::with_capacity(4));
        let text = decoded.entry(at).or_insert_with(|| {
            let mut out = String::with_capacity((node.b - node.a) as usize);
            let mut p = Parser::new(self.text.as_bytes(), self.text);
            p.pos = node.a as usize;
            let checked = p.unescape_into(&mut out);
            debug_assert!(checked.is_ok(), "a RAW string was checked when parsed");
            out.into_boxed_str()
        });
        let text: *const str = &raw const **text;
        // SAFETY: the box's contents stay where they are until the tape is dropped: entries are
        // never removed or replaced, and growing the map moves the box pointers, not their
        // targets. The returned borrow is bounded by the tape's.
        unsafe { &*text }
    }

    /// The value of the member whose key node is `key` (marked [`REDIRECTED`]).
    #[cold]
    fn redirected_value(&self, key: u32) -> u32 {
        self.redirects
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key + 1, |&(_, v)| v)
    }
}

/// The kind of each tag.
const KINDS: [Kind; 16] = {
    let mut kinds = [Kind::Number; 16];
    kinds[NULL as usize] = Kind::Null;
    kinds[TRUE as usize] = Kind::Bool;
    kinds[FALSE as usize] = Kind::Bool;
    kinds[STR as usize] = Kind::String;
    kinds[ESCAPED as usize] = Kind::String;
    kinds[RAW as usize] = Kind::String;
    kinds[ARRAY as usize] = Kind::Array;
    kinds[OBJECT as usize] = Kind::Object;
    kinds
};

/// The length and the first and last bytes of a key: two different keys mostly differ in one.
#[inline]
fn fingerprint(key: &str) -> u32 {
    let bytes = key.as_bytes();
    let (first, last) = match (bytes.first(), bytes.last()) {
        (Some(&f), Some(&l)) => (u32::from(f), u32::from(l)),
        _ => (0, 0),
    };
    (bytes.len() as u32 & 0xffff) | first << 16 | last << 24
}

/// A value of a [`Tape`]: the tape and a node index, `Copy`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TapeJson<'t> {
    tape: &'t Tape<'t>,
    at: u32,
}

impl TapeJson<'_> {
    fn node(self) -> Node {
        self.tape.nodes[self.at as usize]
    }

    /// The value as a [`Value`] tree (for the instance of an error).
    pub(crate) fn to_value(self) -> Value {
        let node = self.node();
        match node.tag & KIND {
            NULL => Value::Null,
            TRUE => Value::Bool(true),
            FALSE => Value::Bool(false),
            STR | ESCAPED | RAW => Value::String(self.tape.str_at(self.at).to_owned()),
            ARRAY => Value::Array(self.items().map(TapeJson::to_value).collect()),
            OBJECT => Value::Object(
                self.members()
                    .map(|(k, v)| (k.to_owned(), v.to_value()))
                    .collect(),
            ),
            _ => Value::Number(self.as_number().unwrap_or(Number::Float(f64::NAN))),
        }
    }
}

impl<'t> Json for TapeJson<'t> {
    type Str<'a>
        = &'t str
    where
        Self: 'a;
    type Items<'a>
        = Items<'t>
    where
        Self: 'a;
    type Members<'a>
        = Members<'t>
    where
        Self: 'a;

    #[inline]
    fn kind(&self) -> Kind {
        // A load rather than a chain of compares: asked of every value, often twice.
        KINDS[usize::from(self.node().tag & KIND)]
    }

    fn as_bool(&self) -> Option<bool> {
        match self.node().tag & KIND {
            TRUE => Some(true),
            FALSE => Some(false),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&'t str> {
        match self.node().tag & KIND {
            STR | ESCAPED | RAW => Some(self.tape.str_at(self.at)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<Number> {
        let node = self.node();
        let text = || &self.tape.text[node.a as usize..node.b as usize];
        match node.tag & KIND {
            INT => Some(Number::Int(
                (u64::from(node.b) << 32 | u64::from(node.a)) as i64,
            )),
            FLOAT => number_from_text(text(), true),
            LONG_INT => number_from_text(text(), false),
            _ => None,
        }
    }

    fn len(&self) -> usize {
        let node = self.node();
        match node.tag & KIND {
            ARRAY | OBJECT => node.a as usize,
            STR | ESCAPED | RAW => self.tape.str_at(self.at).chars().count(),
            _ => 0,
        }
    }

    fn items(&self) -> Items<'t> {
        let node = self.node();
        let (at, end) = if node.tag & KIND == ARRAY {
            (self.at + 1, node.next)
        } else {
            (0, 0)
        };
        Items {
            tape: self.tape,
            at,
            end,
        }
    }

    fn members(&self) -> Members<'t> {
        let node = self.node();
        let (at, end) = if node.tag & KIND == OBJECT {
            (self.at + 1, node.next)
        } else {
            (0, 0)
        };
        Members {
            tape: self.tape,
            at,
            end,
        }
    }

    fn get(&self, key: &str) -> Option<Self> {
        self.members().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    fn item(&self, index: usize) -> Option<Self> {
        self.items().nth(index)
    }
}

/// The items of a tape array.
#[derive(Debug, Clone)]
pub(crate) struct Items<'t> {
    tape: &'t Tape<'t>,
    at: u32,
    end: u32,
}

impl<'t> Iterator for Items<'t> {
    type Item = TapeJson<'t>;

    #[inline]
    fn next(&mut self) -> Option<TapeJson<'t>> {
        if self.at >= self.end {
            return None;
        }
        let item = TapeJson {
            tape: self.tape,
            at: self.at,
        };
        self.at = self.tape.nodes[self.at as usize].next;
        Some(item)
    }
}

/// The members of a tape object, repeated keys merged.
#[derive(Debug, Clone)]
pub(crate) struct Members<'t> {
    tape: &'t Tape<'t>,
    at: u32,
    end: u32,
}

impl<'t> Iterator for Members<'t> {
    type Item = (&'t str, TapeJson<'t>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.at >= self.end {
                return None;
            }
            let key = self.at;
            let node = self.tape.nodes[key as usize];
            self.at = node.next;
            let value = if node.tag & (SHADOWED | REDIRECTED) == 0 {
                key + 1
            } else if node.tag & SHADOWED == 0 {
                self.tape.redirected_value(key)
            } else {
                continue;
            };
            let value = TapeJson {
                tape: self.tape,
                at: value,
            };
            return Some((self.tape.key_at(key), value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse;

    fn round_trip(text: &str) -> Result<Value, ParseError> {
        with_tape(text.as_bytes(), |t| t.root().to_value()).expect("short text")
    }

    /// Debug text, so that NaN equals NaN.
    fn same(text: &str) {
        assert_eq!(
            format!("{:?}", round_trip(text)),
            format!("{:?}", parse(text.as_bytes())),
            "{text:?}"
        );
    }

    /// The thread's buffers, borrowed in place, serve one tape at a time: a tape built
    /// while another is in use gets fresh buffers, and neither sees the other's nodes; a
    /// malformed document between two others leaves nothing behind.
    #[test]
    fn buffers_reused_and_nested() {
        let outer = r#"{"a": [1, 2, {"b": "c\n"}], "a": 3}"#;
        let inner = r#"[true, "x\u00e9", {"k": null, "k": 1}]"#;
        let (outer_value, inner_value) = with_tape(outer.as_bytes(), |t| {
            let inner_value = round_trip(inner);
            (t.root().to_value(), inner_value)
        })
        .expect("short text")
        .expect("valid JSON");
        assert_eq!(
            format!("{outer_value:?}"),
            format!("{:?}", parse(outer.as_bytes()).unwrap())
        );
        assert_eq!(
            format!("{inner_value:?}"),
            format!("{:?}", parse(inner.as_bytes()))
        );
        for text in [
            outer,
            "[1, {\"a\": ",
            "1",
            inner,
            "{\"a\": \"\\u0041\", \"a\": 2}",
            "\"z\"",
        ] {
            same(text);
        }
    }

    #[test]
    fn matches_the_tree_parser() {
        for text in [
            "null",
            " true ",
            "[false, null, 1, -0, -0.0, 1.5e3, 1e400, NaN, -Infinity, Infinity]",
            "123456789012345678901234567890",
            "-9223372036854775808",
            "9223372036854775807",
            r#""a\n\u00e9\ud83d\ude00\ud800x""#,
            r#"{"a": 1, "b": [2, {"c": {}}], "a": 3, "d": []}"#,
            r#"{"k": 1, "k": 2, "k": {"x": [1]}}"#,
            r#"{"\u0061": 1, "a": 2}"#,
            // Keys alike in length and first and last bytes (one fingerprint), repeated or not.
            r#"{"axc": 1, "abc": 2, "axc": 3, "ab": 4, "abc": 5, "a\u0078c": 6}"#,
            r#"{"": 1, "x": 2, "": 3}"#,
            "[[], [[]], {}, [{}], \"\"]",
        ] {
            same(text);
        }
        let many: String = (0..40)
            .map(|i| format!("\"k{}\": {i}", i % 7))
            .collect::<Vec<_>>()
            .join(", ");
        same(&format!("{{{many}}}"));
    }

    #[test]
    fn errors_are_the_tree_parsers() {
        for text in [
            "",
            "[1,]",
            "{\"a\" 1}",
            "[1 2]",
            "01",
            "\"\x01\"",
            "\"\\x\"",
            "nul",
            "[1] x",
            "{\"a\":1,}",
            "[}",
            "{]",
            "\"abc",
            "-",
            "1.",
            "1e",
            "\u{ff}",
        ] {
            same(text);
        }
        assert_eq!(
            round_trip("\"\u{e9}\"[").unwrap_err(),
            parse("\"\u{e9}\"[".as_bytes()).unwrap_err()
        );
        let bad_utf8 = with_tape(b"[\"\xff\"]", |_| ()).unwrap().unwrap_err();
        assert_eq!(bad_utf8, parse(b"[\"\xff\"]").unwrap_err());
    }

    #[test]
    fn escaped_values_decode_on_read_like_the_tree_parser() {
        // Each escape form at every offset of two eight-byte words, as a value, a key, an
        // item, and broken at the same offsets.
        for escape in [
            r"\n",
            r"\u003c",
            r"\u00e9",
            r"\ud83d\ude00",
            r"\ud800",
            r"\udc00x",
            r#"\""#,
        ] {
            for at in 0..40 {
                let pad = "a".repeat(at);
                let text = format!(
                    r#"{{"{pad}{escape}": ["{pad}{escape}b", "x"], "v": "{pad}{escape}"}}"#
                );
                same(&text);
                for broken in [r"\x", r"\u12", r"\u12g4", "\\", "\x01"] {
                    same(&format!(r#"["{pad}{escape}{broken}"]"#));
                    same(&format!(r#"{{"{pad}{escape}{broken}": 1}}"#));
                }
                same(&format!(r#"["{pad}{escape}"#));
            }
        }
    }

    #[test]
    fn a_raw_string_is_decoded_once() {
        with_tape(br#"["a\u00e9", "b\n"]"#, |t| {
            let first = t.root().item(0).unwrap();
            let once = first.as_str().unwrap();
            let again = first.as_str().unwrap();
            assert_eq!(once, "a\u{e9}");
            assert!(std::ptr::eq(once, again));
            assert_eq!(first.len(), 2);
            assert_eq!(t.root().item(1).unwrap().as_str(), Some("b\n"));
        })
        .unwrap()
        .unwrap();
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(
            round_trip(&deep).unwrap_err().kind(),
            &parser::ParseErrorKind::TooDeep
        );
        let ok = "[{\"a\":".repeat(511) + "1" + &"}]".repeat(511);
        same(&ok);
    }

    #[test]
    fn views_answer_like_values() {
        with_tape(
            br#"{"s": "h\u00e9", "n": 2.5, "a": [1, 2, 3], "s": "x"}"#,
            |t| {
                let root = t.root();
                assert_eq!(root.kind(), Kind::Object);
                assert_eq!(root.len(), 3);
                assert_eq!(root.get("s").and_then(|s| s.as_str()), Some("x"));
                let a = root.get("a").unwrap();
                assert_eq!(a.len(), 3);
                assert_eq!(a.item(2).and_then(|i| i.as_number()), Some(Number::Int(3)));
                assert!(a.item(3).is_none());
                assert_eq!(
                    root.get("n").and_then(|n| n.as_number()),
                    Some(Number::Float(2.5))
                );
                let keys: Vec<_> = root.members().map(|(k, _)| k).collect();
                assert_eq!(keys, ["s", "n", "a"]);
            },
        )
        .unwrap()
        .unwrap();
    }
}
