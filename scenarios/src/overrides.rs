//! `--set PATH=VALUE`: changing any field of a scenario from the command line (and, for sweeps,
//! from a sweep plan) with the same validation as the file.
//!
//! A path names a field the way errors do: keys separated by dots and sequence indices in
//! brackets (`links[2].latency`, `sensing[0].streams[1].every`). A key applied to a sequence
//! selects the element whose `group` or `name` is that key, so `sensing.ecg.count=40` and
//! `attacks.ward-sniffer.capture_probability=0.5` work without counting positions. The value is
//! read as YAML (`40` a number, `2h` a string, `[ble, wifi]` a list). The last key of a path
//! may be new (a field the file left at its default), and a last index one past the end of a
//! list appends to it; everything before it must exist.

use crate::locate::{Step, parse_path};
use serde_yaml::Value;
use std::fmt;
use std::str::FromStr;

/// One `PATH=VALUE` override.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// The field path.
    pub path: String,
    /// The value, as YAML text.
    pub value: String,
}

impl FromStr for Override {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.split_once('=') {
            Some((path, value)) if !path.trim().is_empty() => Ok(Override {
                path: path.trim().to_string(),
                value: value.trim().to_string(),
            }),
            _ => Err(format!(
                "`{s}` is not PATH=VALUE; for example `duration=2h` or `sensing.ecg.count=40`"
            )),
        }
    }
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

fn describe(step: &Step) -> String {
    match step {
        Step::Key(k) => format!("`{k}`"),
        Step::Index(i) => format!("[{i}]"),
    }
}

/// Applies `o` to the document `root`; returns the canonical path (indices, not names) of the
/// field it set, as validation errors name it.
pub fn apply(root: &mut Value, o: &Override) -> Result<String, String> {
    let steps = parse_path(&o.path);
    if steps.is_empty() {
        return Err("the path is empty".into());
    }
    let value: Value =
        serde_yaml::from_str(&o.value).unwrap_or_else(|_| Value::String(o.value.clone()));
    let mut canonical = String::new();
    let mut node = root;
    let last = steps.len() - 1;
    for (i, step) in steps.iter().enumerate() {
        node = match (step, node) {
            (Step::Key(k), Value::Mapping(map)) => {
                if !canonical.is_empty() {
                    canonical.push('.');
                }
                canonical.push_str(k);
                let key = Value::String(k.clone());
                if !map.contains_key(&key) {
                    if i != last {
                        let known: Vec<&str> = map.keys().filter_map(Value::as_str).collect();
                        return Err(format!(
                            "no field `{k}` here; present: {}",
                            known.join(", ")
                        ));
                    }
                    map.insert(key.clone(), Value::Null);
                }
                map.get_mut(&key).expect("present or just inserted")
            }
            (Step::Key(k), Value::Sequence(items)) => {
                let found = items.iter().position(|item| {
                    ["group", "name"]
                        .iter()
                        .any(|f| item.get(*f).and_then(Value::as_str) == Some(k.as_str()))
                });
                let Some(idx) = found else {
                    return Err(format!(
                        "no element with group or name `{k}` in `{canonical}`"
                    ));
                };
                canonical.push_str(&format!("[{idx}]"));
                &mut items[idx]
            }
            (Step::Index(idx), Value::Sequence(items)) => {
                let n = items.len();
                canonical.push_str(&format!("[{idx}]"));
                if i == last && *idx == n {
                    // One past the end of a list appends to it (`defenses[1]=…` adds a defense).
                    items.push(Value::Null);
                }
                items.get_mut(*idx).ok_or_else(|| {
                    format!("`{canonical}` is past the end: the list has {n} elements")
                })?
            }
            (step, _) => {
                return Err(format!(
                    "cannot take {} of `{canonical}`, which is not a mapping or a list",
                    describe(step)
                ));
            }
        };
    }
    *node = value;
    Ok(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "duration: 1h\nsensing:\n  - group: ecg\n    count: 12\nattacks:\n  - name: sniffer\n    links: [ble]\n";

    fn set(doc: &str, o: &str) -> Result<(Value, String), String> {
        let mut v: Value = serde_yaml::from_str(doc).unwrap();
        let path = apply(&mut v, &o.parse()?)?;
        Ok((v, path))
    }

    #[test]
    fn sets_by_index_by_name_and_new_keys() {
        let (v, p) = set(DOC, "sensing.ecg.count=40").unwrap();
        assert_eq!(p, "sensing[0].count");
        assert_eq!(v["sensing"][0]["count"], Value::from(40));
        let (v, p) = set(DOC, "attacks[0].links=[ble, wifi]").unwrap();
        assert_eq!(p, "attacks[0].links");
        assert_eq!(v["attacks"][0]["links"][1], Value::from("wifi"));
        let (v, _) = set(DOC, "warmup=2min").unwrap();
        assert_eq!(v["warmup"], Value::from("2min"));
    }

    #[test]
    fn bad_paths_say_what_exists() {
        assert!(
            set(DOC, "sensing.spo2.count=3")
                .unwrap_err()
                .contains("no element")
        );
        assert!(
            set(DOC, "sensing[3].count=3")
                .unwrap_err()
                .contains("past the end")
        );
        assert!(
            set(DOC, "nosuch.count=3")
                .unwrap_err()
                .contains("no field `nosuch`")
        );
        assert!(
            set(DOC, "duration.x=3")
                .unwrap_err()
                .contains("not a mapping")
        );
        assert!("novalue".parse::<Override>().is_err());
        assert!("=3".parse::<Override>().is_err());
    }
}
