//! serde on top of [`yaml`](super): typed structs (lesson blocks, scenarios) read from the same
//! spanned [`Node`] trees as manifests, so the app carries one YAML parser, not two.
//!
//! [`from_str`] is what `serde_yaml::from_str` was for Batch Lab, with two differences that
//! follow from reading through [`super::parse`]: errors carry the [`Span`] of the node they are about
//! (the key for an unknown field, the value for a bad type, the mapping for a missing field), and
//! plain scalars resolve as go-yaml v2 does (the same rules as manifests). A string field takes any
//! scalar's text as written (`title: 2024` is the string "2024"), as serde_yaml did.
//!
//! [`to_json`] turns a node into a `serde_json::Value`, for the grader's free-form goal arguments
//! and the learner's objects.

use super::{Node, Resolved, Value as YamlValue};
use crate::diag::Span;
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use std::fmt;

/// A YAML or serde problem, with where it is (1-based, in the text given to [`from_str`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub message: String,
    pub span: Option<Span>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            message: msg.to_string(),
            span: None,
        }
    }
}

impl Error {
    /// The first (innermost) node an error passes through is the one it is about.
    fn at(mut self, span: Span) -> Self {
        self.span.get_or_insert(span);
        self
    }
}

/// Parse one YAML document and deserialize it. An empty text is a null document.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    let parsed = super::parse(text);
    if let Some(problem) = parsed.diagnostics.first() {
        return Err(Error {
            message: problem.message.clone(),
            span: Some(problem.span),
        });
    }
    match parsed.documents.as_slice() {
        [] => T::deserialize(&null_node()),
        [document] => from_node(&document.root),
        [_, second, ..] => Err(Error {
            message: "expected one YAML document, found more (a second `---`)".to_string(),
            span: Some(Span::point(second.span.line, second.span.column)),
        }),
    }
}

/// Deserialize a value from a parsed node.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, Error> {
    T::deserialize(node)
}

fn null_node() -> Node {
    Node {
        value: YamlValue::Scalar(super::Scalar {
            text: String::new(),
            style: super::Style::Plain,
            tag: None,
        }),
        span: Span::point(1, 1),
    }
}

/// A node as JSON: scalars resolved (go-yaml v2 rules), mapping keys as written. Floats JSON cannot
/// hold (`.nan`, `.inf`) become their text.
pub fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as Json;
    match &node.value {
        YamlValue::Scalar(s) => match s.resolve() {
            Resolved::Null => Json::Null,
            Resolved::Bool(b) => Json::Bool(b),
            Resolved::Int(i) => Json::from(i),
            Resolved::Float(f) => serde_json::Number::from_f64(f)
                .map_or_else(|| Json::String(s.text.clone()), Json::Number),
            Resolved::Str(t) => Json::String(t.to_string()),
        },
        YamlValue::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        YamlValue::Map(entries) => {
            // Inserted one by one rather than collected: see `crate::sort::btree_map`.
            let mut object = serde_json::Map::new();
            object.extend(
                entries
                    .iter()
                    .map(|e| (key_text(&e.key), to_json(&e.value))),
            );
            Json::Object(object)
        }
    }
}

/// A mapping's entries in source order, keys and values as JSON (a `serde_json::Map` would sort
/// them): for lesson blocks whose order is meaningful (checklist items).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderedMap(pub Vec<(serde_json::Value, serde_json::Value)>);

impl<'de> de::Deserialize<'de> for OrderedMap {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = OrderedMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<OrderedMap, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

/// A mapping key as text: a scalar's text; a (rare) collection key as its description.
fn key_text(key: &Node) -> String {
    match key.as_scalar() {
        Some(s) => s.text.clone(),
        None => key.describe(),
    }
}

impl<'de> de::Deserializer<'de> for &'de Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let result = match &self.value {
            YamlValue::Scalar(s) => match s.resolve() {
                Resolved::Null => visitor.visit_unit(),
                Resolved::Bool(b) => visitor.visit_bool(b),
                // Non-negative integers as u64, as serde_yaml did: visitors written for it rely on it.
                Resolved::Int(i) => match u64::try_from(i) {
                    Ok(n) => visitor.visit_u64(n),
                    Err(_) => visitor.visit_i64(i),
                },
                Resolved::Float(f) => visitor.visit_f64(f),
                Resolved::Str(_) => visitor.visit_borrowed_str(&s.text),
            },
            YamlValue::Seq(items) => visitor.visit_seq(Seq(items.iter())),
            YamlValue::Map(entries) => visitor.visit_map(Map {
                entries: entries.iter(),
                value: None,
            }),
        };
        result.map_err(|e| e.at(self.span))
    }

    /// Any scalar reads as its text, as written.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            YamlValue::Scalar(s) => visitor
                .visit_borrowed_str(&s.text)
                .map_err(|e: Error| e.at(self.span)),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self).map_err(|e: Error| e.at(self.span))
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// A unit variant is a scalar (`Never`); any other variant a one-entry mapping (`Exit: 3`).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let result = match &self.value {
            YamlValue::Scalar(s) => visitor.visit_enum(s.text.as_str().into_deserializer()),
            YamlValue::Map(entries) if entries.len() == 1 => visitor.visit_enum(Variant {
                key: &entries[0].key,
                value: &entries[0].value,
            }),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        };
        result.map_err(|e| e.at(self.span))
    }

    /// A struct reads a mapping (or, as serde allows, a sequence of its fields in order). Not
    /// forwarded to `deserialize_any`: struct visitors take nothing else, so a scalar's error is
    /// made here once, with the text `deserialize_any`'s visit would give, instead of the scalar
    /// branches being compiled into every struct's reader.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let result = match &self.value {
            YamlValue::Seq(items) => visitor.visit_seq(Seq(items.iter())),
            YamlValue::Map(entries) => visitor.visit_map(Map {
                entries: entries.iter(),
                value: None,
            }),
            YamlValue::Scalar(_) => return Err(self.invalid_type(&visitor)),
        };
        result.map_err(|e| e.at(self.span))
    }

    /// A sequence (`Vec`, sets, `SmallVec`): as [`Self::deserialize_struct`], whose visitors
    /// take only sequences, the other nodes' errors are made once here.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            YamlValue::Seq(items) => visitor
                .visit_seq(Seq(items.iter()))
                .map_err(|e: Error| e.at(self.span)),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    /// A map (`BTreeMap`, [`OrderedMap`]): as [`Self::deserialize_seq`], for mappings.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            YamlValue::Map(entries) => visitor
                .visit_map(Map {
                    entries: entries.iter(),
                    value: None,
                })
                .map_err(|e: Error| e.at(self.span)),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char
        bytes byte_buf unit unit_struct tuple tuple_struct ignored_any
    }
}

impl Node {
    /// The error a visitor that takes none of this node's kind gives in `deserialize_any`: the
    /// `Unexpected` its default `visit_*` method reports (non-negative integers as unsigned, as
    /// `deserialize_any` visits them), at this node. Not generic, so it is compiled once.
    fn invalid_type(&self, expected: &dyn de::Expected) -> Error {
        let unexpected = match &self.value {
            YamlValue::Scalar(s) => match s.resolve() {
                Resolved::Null => de::Unexpected::Unit,
                Resolved::Bool(b) => de::Unexpected::Bool(b),
                Resolved::Int(i) => match u64::try_from(i) {
                    Ok(n) => de::Unexpected::Unsigned(n),
                    Err(_) => de::Unexpected::Signed(i),
                },
                Resolved::Float(f) => de::Unexpected::Float(f),
                Resolved::Str(_) => de::Unexpected::Str(&s.text),
            },
            YamlValue::Seq(_) => de::Unexpected::Seq,
            YamlValue::Map(_) => de::Unexpected::Map,
        };
        <Error as de::Error>::invalid_type(unexpected, expected).at(self.span)
    }

    /// What serde's "invalid type" messages call this node.
    fn unexpected(&self) -> de::Unexpected<'_> {
        match &self.value {
            YamlValue::Scalar(s) => match s.resolve() {
                Resolved::Null => de::Unexpected::Unit,
                Resolved::Bool(b) => de::Unexpected::Bool(b),
                Resolved::Int(i) => de::Unexpected::Signed(i),
                Resolved::Float(f) => de::Unexpected::Float(f),
                Resolved::Str(_) => de::Unexpected::Str(&s.text),
            },
            YamlValue::Seq(_) => de::Unexpected::Seq,
            YamlValue::Map(_) => de::Unexpected::Map,
        }
    }
}

struct Seq<'de>(std::slice::Iter<'de, Node>);

impl<'de> de::SeqAccess<'de> for Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|node| seed.deserialize(node)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'de> {
    entries: std::slice::Iter<'de, super::Entry>,
    value: Option<&'de Node>,
}

impl<'de> de::MapAccess<'de> for Map<'de> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(&entry.value);
        seed.deserialize(&entry.key)
            .map(Some)
            .map_err(|e| e.at(entry.key.span))
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let node = self
            .value
            .take()
            .ok_or_else(|| <Error as de::Error>::custom("a map value was read before its key"))?;
        seed.deserialize(node)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Variant<'de> {
    key: &'de Node,
    value: &'de Node,
}

impl<'de> de::EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = &'de Node;

    fn variant_seed<V: de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, &'de Node), Error> {
        let variant = seed
            .deserialize(self.key)
            .map_err(|e| e.at(self.key.span))?;
        Ok((variant, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for &'de Node {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    /// Read as a struct: its visitor also takes a sequence of the fields in order.
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Block {
        id: String,
        #[serde(default)]
        retries: Option<u32>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        when: Option<When>,
    }

    #[derive(Debug, Clone, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    enum When {
        Never,
        After(u32),
        Window { from: u32, to: u32 },
    }

    #[test]
    fn reads_structs_sequences_options_and_enums() {
        let block: Block =
            from_str("id: 2024\nretries: 3\ntags: [a, 'b']\nwhen: {after: 5}\n").unwrap();
        assert_eq!(
            block,
            Block {
                id: "2024".into(),
                retries: Some(3),
                tags: vec!["a".into(), "b".into()],
                when: Some(When::After(5)),
            }
        );
        let block: Block = from_str("id: x\nretries: ~\nwhen: never\n").unwrap();
        assert_eq!(block.retries, None);
        assert_eq!(block.when, Some(When::Never));
    }

    #[test]
    fn errors_point_at_the_node_they_are_about() {
        let e = from_str::<Block>("id: x\nretrys: 3\n").unwrap_err();
        assert!(
            e.message
                .starts_with("unknown field `retrys`, expected one of"),
            "{}",
            e.message
        );
        assert_eq!(e.span.map(|s| (s.line, s.column)), Some((2, 1)));

        let e = from_str::<Block>("id: x\nretries: many\n").unwrap_err();
        assert_eq!(e.message, "invalid type: string \"many\", expected u32");
        assert_eq!(e.span.map(|s| (s.line, s.column)), Some((2, 10)));

        let e = from_str::<Block>("tags: []\n").unwrap_err();
        assert_eq!(e.message, "missing field `id`");
        assert_eq!(e.span.map(|s| s.line), Some(1));
    }

    /// `deserialize_struct` and `deserialize_seq` answer every kind of node exactly as
    /// `deserialize_any` (which they used to forward to) does: same values, same errors, same spans.
    #[test]
    fn structs_and_sequences_read_as_through_deserialize_any() {
        struct Any<'de>(&'de Node);
        impl<'de> de::Deserializer<'de> for Any<'de> {
            type Error = Error;
            fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.0.deserialize_any(visitor)
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map struct
                enum identifier ignored_any
            }
        }
        fn both<T: de::DeserializeOwned + PartialEq + fmt::Debug>(text: &str) {
            let parsed = super::super::parse(text);
            let node = &parsed.documents[0].root;
            let direct = T::deserialize(node);
            assert_eq!(direct, T::deserialize(Any(node)), "{text}");
        }
        for text in [
            "5",
            "-3",
            "2.5",
            "yes",
            "~",
            "text",
            "'5'",
            "[a, b]",
            "[x, 3]",
            "{id: x}",
            "{}",
            "[]",
            "{id: x, retries: many}",
            "[[a]]",
        ] {
            both::<Block>(text);
            both::<Vec<String>>(text);
            both::<std::collections::BTreeSet<u32>>(text);
            both::<Vec<Block>>(text);
            both::<std::collections::BTreeMap<String, u32>>(text);
            both::<OrderedMap>(text);
        }
        // A struct variant, like a struct, also takes its fields in order.
        let read = |text: &str| from_str::<When>(text).map_err(|e| e.message);
        let window = When::Window { from: 1, to: 2 };
        assert_eq!(read("{window: {from: 1, to: 2}}"), Ok(window.clone()));
        assert_eq!(read("{window: [1, 2]}"), Ok(window));
        assert_eq!(
            read("{window: 3}"),
            Err("invalid type: integer `3`, expected struct variant When::Window".into())
        );
    }

    #[test]
    fn syntax_errors_and_extra_documents_are_errors() {
        assert!(from_str::<Block>("id: [unclosed\n").is_err());
        let e = from_str::<Block>("id: a\n---\nid: b\n").unwrap_err();
        assert_eq!(e.span.map(|s| s.line), Some(2));
    }

    #[test]
    fn json_keeps_types_and_order_free_text() {
        let parsed = super::super::parse("a: 1\nb: yes\nc: [x, 2.5, ~]\n");
        let json = to_json(&parsed.documents[0].root);
        assert_eq!(
            json,
            serde_json::json!({"a": 1, "b": true, "c": ["x", 2.5, null]})
        );
    }
}
