//! YAML with byte spans, built on saphyr's marked nodes (whose markers count characters).

use std::ops::Range;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// A YAML node and its byte range in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct YNode {
    /// Byte range of the node.
    pub span: Range<u32>,
    /// Its value.
    pub value: YValue,
}

/// A YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum YValue {
    /// `null` / `~` / empty.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<YNode>),
    /// A mapping, in file order.
    Map(Vec<(YNode, YNode)>),
}

impl YNode {
    /// The string value, if a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            YValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&YNode> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value node under `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<(&YNode, &YNode)> {
        match &self.value {
            YValue::Map(m) => m
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// Convert to JSON (keys stringified).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            YValue::Null => Value::Null,
            YValue::Bool(b) => Value::Bool(*b),
            YValue::Int(i) => Value::from(*i),
            YValue::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            YValue::Str(s) => Value::String(s.clone()),
            YValue::Seq(s) => Value::Array(s.iter().map(YNode::to_json).collect()),
            YValue::Map(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| {
                        let key = match &k.value {
                            YValue::Str(s) => s.clone(),
                            other => YNode {
                                span: 0..0,
                                value: other.clone(),
                            }
                            .to_json()
                            .to_string(),
                        };
                        (key, v.to_json())
                    })
                    .collect(),
            ),
        }
    }
}

/// A YAML syntax error: byte offset and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// Byte offset.
    pub offset: u32,
    /// Message.
    pub message: String,
}

/// Parse the first document of `src`. An empty file is `Ok(None)`.
pub fn parse_yaml(src: &str) -> Result<Option<YNode>, YamlError> {
    let to_byte = CharToByte::new(src);
    let docs = MarkedYaml::load_from_str(src).map_err(|e| YamlError {
        offset: to_byte.get(e.marker().index()),
        message: e.info().to_owned(),
    })?;
    Ok(docs.first().map(|d| convert(d, &to_byte)))
}

struct CharToByte {
    /// Byte offsets of each char, only when the source is not ASCII.
    offsets: Option<Vec<u32>>,
    len: u32,
}

impl CharToByte {
    fn new(src: &str) -> Self {
        let offsets =
            (!src.is_ascii()).then(|| src.char_indices().map(|(i, _)| i as u32).collect());
        CharToByte {
            offsets,
            len: src.len() as u32,
        }
    }

    fn get(&self, ch: usize) -> u32 {
        match &self.offsets {
            None => (ch as u32).min(self.len),
            Some(v) => v.get(ch).copied().unwrap_or(self.len),
        }
    }
}

fn convert(n: &MarkedYaml<'_>, to_byte: &CharToByte) -> YNode {
    let span = to_byte.get(n.span.start.index())..to_byte.get(n.span.end.index());
    let value = match &n.data {
        YamlData::Value(s) => scalar(s),
        YamlData::Representation(text, _, _) => YValue::Str(text.to_string()),
        YamlData::Sequence(items) => {
            YValue::Seq(items.iter().map(|i| convert(i, to_byte)).collect())
        }
        YamlData::Mapping(m) => YValue::Map(
            m.iter()
                .map(|(k, v)| (convert(k, to_byte), convert(v, to_byte)))
                .collect(),
        ),
        YamlData::Tagged(_, inner) => return convert(inner, to_byte),
        _ => YValue::Null,
    };
    YNode { span, value }
}

fn scalar(s: &Scalar<'_>) -> YValue {
    match s {
        Scalar::Null => YValue::Null,
        Scalar::Boolean(b) => YValue::Bool(*b),
        Scalar::Integer(i) => YValue::Int(*i),
        Scalar::FloatingPoint(f) => YValue::Float(f.into_inner()),
        Scalar::String(s) => YValue::Str(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_bytes() {
        let src = "namespace: é\nentries:\n  - name: a\n    kind: function.lua\n";
        let doc = parse_yaml(src).unwrap().unwrap();
        let entries = doc.get("entries").unwrap();
        let YValue::Seq(items) = &entries.value else {
            panic!()
        };
        let kind = items[0].get("kind").unwrap();
        assert_eq!(
            &src[kind.span.start as usize..kind.span.end as usize],
            "function.lua"
        );
    }

    #[test]
    fn errors_have_offsets() {
        let e = parse_yaml("a: [1, 2\nb: c").unwrap_err();
        assert!(e.offset > 0, "{e:?}");
    }
}
