//! Reading one field of a raw entry as a type, reporting a wrong type or an empty value at its
//! position.

use unicode_normalization::{UnicodeNormalization, is_nfc};

use super::Checker;
use crate::entry::without_forbidden_chars;
use crate::fields;
use crate::load::{Node, Value};

impl Checker<'_> {
    pub(super) fn wrong_type(&mut self, name: &str, node: &Node, expected: &str) {
        let msg = format!(
            "`{name}` は {expected} で書いてください（今は{}です）",
            node.value.type_name()
        );
        self.error(node.span.start, name, msg);
    }

    /// A text field: trimmed, invisible control characters removed (with a warning).
    pub(super) fn string(&mut self, name: &str) -> Option<(String, usize)> {
        let node = self.node(name)?;
        let Value::String(s) = &node.value else {
            let node = node.clone();
            self.wrong_type(name, &node, "文字列（\"…\"）");
            return None;
        };
        let start = node.span.start;
        let cleaned = without_forbidden_chars(s);
        let removed = cleaned.len() != s.len();
        let trimmed = cleaned.trim().to_owned();
        if removed {
            self.warn(
                start,
                name,
                "見えない制御文字を取り除きました",
                format!("`{name}` に見えない制御文字（文字の向きを変える文字など）があったため取り除きました"),
            );
        }
        if trimmed.is_empty() {
            self.error(
                start,
                name,
                format!("`{name}` が空です。値を書くか、行ごと削除してください"),
            );
            return None;
        }
        Some((trimmed, start))
    }

    pub(super) fn required_string(&mut self, name: &str) -> Option<(String, usize)> {
        if self.node(name).is_none() {
            let hint = fields::get(name).map_or("", |f| f.doc);
            self.error(
                0,
                name,
                format!("必須の項目 `{name}` がありません（{hint}）"),
            );
            return None;
        }
        self.string(name)
    }

    pub(super) fn bool(&mut self, name: &str) -> Option<bool> {
        let node = self.node(name)?.clone();
        match node.value {
            Value::Boolean(b) => Some(b),
            _ => {
                self.wrong_type(name, &node, "true または false");
                None
            }
        }
    }

    pub(super) fn integer(&mut self, name: &str, node: &Node, min: i64, max: i64) -> Option<u32> {
        match node.value {
            Value::Integer(Some(n)) if (min..=max).contains(&n) => Some(n as u32),
            Value::Integer(Some(n)) if n < 0 => {
                self.error(
                    node.span.start,
                    name,
                    format!("`{name}` が負の数 ({n}) です。0 以上にしてください"),
                );
                None
            }
            Value::Integer(_) => {
                self.error(
                    node.span.start,
                    name,
                    format!("`{name}` は {min}〜{max} の整数にしてください"),
                );
                None
            }
            _ => {
                self.wrong_type(name, node, "整数");
                None
            }
        }
    }

    pub(super) fn float(&mut self, name: &str) -> Option<(f64, usize)> {
        let node = self.node(name)?.clone();
        match node.value {
            Value::Float(f) if f.is_finite() => Some((f, node.span.start)),
            Value::Integer(Some(n)) => Some((n as f64, node.span.start)),
            Value::Float(_) => {
                let msg = format!(
                    "`{name}` に nan や inf は使えません。数値（例: 34.73）で書いてください"
                );
                self.error(node.span.start, name, msg);
                None
            }
            _ => {
                self.wrong_type(name, &node, "数値（例: 34.73）");
                None
            }
        }
    }

    pub(super) fn strings(&mut self, name: &str) -> Vec<(String, usize)> {
        let Some(node) = self.node(name).cloned() else {
            return Vec::new();
        };
        let Value::Array(items) = &node.value else {
            self.wrong_type(name, &node, "文字列の配列（[\"…\", \"…\"]）");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match &item.value {
                Value::String(s) if !s.trim().is_empty() => {
                    out.push((nfc(s.trim()), item.span.start))
                }
                Value::String(_) => self.error(
                    item.span.start,
                    name,
                    format!("`{name}` に空の文字列があります"),
                ),
                other => {
                    let msg = format!(
                        "`{name}` の要素は文字列で書いてください（今は{}です）",
                        other.type_name()
                    );
                    self.error(item.span.start, name, msg);
                }
            }
        }
        out
    }
}

/// `s` in Unicode normalisation form C, so labels compare equal however they were typed.
pub(super) fn nfc(s: &str) -> String {
    if is_nfc(s) {
        s.to_owned()
    } else {
        s.nfc().collect()
    }
}
