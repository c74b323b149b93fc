//! The valid part of a document after the structural check, and how it fills the typed model.
//!
//! The checker (`check`) copies what passed into a [`Checked`] tree in the API's JSON shape; serde
//! then reads that tree into `model` types through the `Deserializer` implemented here. The tree
//! borrows every key and string from the YAML tree, so building it allocates no strings and no
//! map nodes: strings are copied once, into the model. (A `serde_json::Value` would do the same
//! job with a `String` per key and value and a B-tree per mapping, about a sixth of the whole
//! parse + validate + lint time of a typical manifest.)

use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{Deserialize, Deserializer, IntoDeserializer, Visitor};

/// A checked value: the JSON data model, borrowing from the YAML text it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked<'n> {
    Null,
    Bool(bool),
    Int(i64),
    Str(&'n str),
    List(Vec<Checked<'n>>),
    /// Fields (or map entries) in text order. Keys are unique: the YAML layer drops duplicates.
    Map(Vec<(&'n str, Checked<'n>)>),
}

impl<'n> Checked<'n> {
    /// The value under `key`, if this is a map that has it.
    pub fn get(&self, key: &str) -> Option<&Checked<'n>> {
        self.entries()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    /// The entries of a map (none for any other value).
    pub fn entries(&self) -> &[(&'n str, Checked<'n>)] {
        match self {
            Checked::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&'n str> {
        match self {
            Checked::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Checked::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Read this value into a model type. The structural check already guarantees the shape and
    /// every model struct defaults its missing fields, so this only falls back to the default if
    /// the model and the schema disagree (a bug, covered by the seed-manifest tests).
    pub fn read<T: Deserialize<'n> + Default>(&self) -> T {
        T::deserialize(self).unwrap_or_default()
    }
}

impl<'de> Deserializer<'de> for &Checked<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Checked::Null => visitor.visit_unit(),
            Checked::Bool(b) => visitor.visit_bool(*b),
            Checked::Int(i) => visitor.visit_i64(*i),
            Checked::Str(s) => visitor.visit_borrowed_str(s),
            Checked::List(items) => visitor.visit_seq(SeqDeserializer::new(items.iter())),
            Checked::Map(entries) => {
                visitor.visit_map(MapDeserializer::new(entries.iter().map(|(k, v)| (*k, v))))
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Checked::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de, 'a> IntoDeserializer<'de, Error> for &'a Checked<'de> {
    type Deserializer = &'a Checked<'de>;

    fn into_deserializer(self) -> Self::Deserializer {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;

    #[test]
    fn fills_model_structs_lists_maps_and_options() {
        let value = Checked::Map(vec![
            ("name", Checked::Str("worker")),
            ("image", Checked::Str("busybox:1.36")),
            (
                "command",
                Checked::List(vec![Checked::Str("sh"), Checked::Str("-c")]),
            ),
            (
                "resources",
                Checked::Map(vec![(
                    "limits",
                    Checked::Map(vec![("memory", Checked::Str("64Mi"))]),
                )]),
            ),
            ("imagePullPolicy", Checked::Null),
        ]);
        let container: model::Container = value.read();
        assert_eq!(container.name, "worker");
        assert_eq!(container.image.as_deref(), Some("busybox:1.36"));
        assert_eq!(container.command, vec!["sh", "-c"]);
        assert_eq!(container.resources.limits["memory"], "64Mi");
        assert_eq!(container.image_pull_policy, None);

        let spec: model::JobSpec = Checked::Map(vec![
            ("backoffLimit", Checked::Int(3)),
            ("suspend", Checked::Bool(true)),
        ])
        .read();
        assert_eq!(spec.backoff_limit, Some(3));
        assert_eq!(spec.suspend, Some(true));
    }

    #[test]
    fn a_shape_the_model_cannot_take_gives_the_default() {
        let spec: model::JobSpec = Checked::Map(vec![("backoffLimit", Checked::Str("3"))]).read();
        assert_eq!(spec.backoff_limit, None);
    }
}
