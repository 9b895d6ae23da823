//! The shape of a scenario document: every key it writes that the format does not know, and
//! every scalar of the wrong type (text where a number goes), found before serde reads it.
//!
//! serde cannot refuse an unknown key in a struct that flattens another (the device, link and
//! cipher fields are declared once and flattened into the profiles, groups and links that set
//! them), and when it refuses one it stops there, hiding every other problem. So stage one
//! accepts unknown keys, and this module finds them all in the YAML document by walking it
//! along the JSON Schema that schemars derives from the same `raw` types: the schema is the
//! one list of the keys, and the one an editor checks against as you type.
//!
//! Type errors are found the same way, all of them and each at its own field, where serde would
//! stop at the first and place one inside a flattened struct at the struct's first line.
//!
//! Rules, those of JSON Schema: in an object with `properties`, a key that is not one of them
//! is unknown unless `additionalProperties` admits it (attack and defense parameters, named
//! maps such as `areas`); `$ref` is followed; of alternatives (`anyOf`, `oneOf`: an optional
//! struct, a name or a mapping) the one that takes a mapping, or a list, is followed when
//! there is exactly one.

use crate::error::did_you_mean;
use serde_json::{Map, Value as Json};
use serde_yaml::Value;

/// Every unknown key and every value of the wrong type, as (path, message): the path of the
/// key itself (`sensing[0].cuont`) with the keys that would be right and the closest of them,
/// or the path of the value with the type it should have.
pub(crate) fn problems(schema: &Json, doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(schema, schema, doc, "", &mut out);
    out
}

/// Marks every object schema with `properties` and no `additionalProperties` as closed
/// (`additionalProperties: false`), as the scenario reader treats it: editors then flag an
/// unknown key as the loader does.
pub(crate) fn close_objects(schema: &mut Json) {
    match schema {
        Json::Object(m) => {
            if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                m.insert("additionalProperties".into(), Json::Bool(false));
            }
            for v in m.values_mut() {
                close_objects(v);
            }
        }
        Json::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// `schema` with its `$ref` followed (within `root`'s `$defs`).
fn resolve<'a>(root: &'a Json, schema: &'a Json) -> &'a Json {
    let mut s = schema;
    // A chain of references is short; the bound only guards a malformed schema.
    for _ in 0..16 {
        match s
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix("#/"))
        {
            Some(pointer) => match root.pointer(&format!("/{pointer}")) {
                Some(target) => s = target,
                None => return s,
            },
            None => return s,
        }
    }
    s
}

/// The alternatives of `schema` (itself, or those of its `anyOf`/`oneOf`), references followed.
fn alternatives<'a>(root: &'a Json, schema: &'a Json, out: &mut Vec<&'a Json>) {
    let s = resolve(root, schema);
    let mut nested = false;
    for key in ["anyOf", "oneOf"] {
        if let Some(list) = s.get(key).and_then(Json::as_array) {
            nested = true;
            for alt in list {
                alternatives(root, alt, out);
            }
        }
    }
    if !nested {
        out.push(s);
    }
}

/// The properties of an object schema, merged with those of its `allOf` parts.
fn properties<'a>(root: &'a Json, schema: &'a Json, out: &mut Map<String, Json>) {
    if let Some(p) = schema.get("properties").and_then(Json::as_object) {
        out.extend(p.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if let Some(parts) = schema.get("allOf").and_then(Json::as_array) {
        for part in parts {
            properties(root, resolve(root, part), out);
        }
    }
}

fn takes_mapping(s: &Json) -> bool {
    s.get("properties").is_some()
        || s.get("additionalProperties").is_some()
        || s.get("allOf").is_some()
        || s.get("type").and_then(Json::as_str) == Some("object")
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(root: &Json, schema: &Json, value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    let mut alts = Vec::new();
    alternatives(root, schema, &mut alts);
    match value {
        Value::Mapping(map) => {
            let objects: Vec<&Json> = alts.into_iter().filter(|s| takes_mapping(s)).collect();
            let [object] = objects[..] else { return };
            let mut props = Map::new();
            properties(root, object, &mut props);
            let extra = object.get("additionalProperties");
            for (k, v) in map {
                let key = key_text(k);
                let here = join(path, &key);
                if let Some(s) = props.get(&key) {
                    walk(root, s, v, &here, out);
                    continue;
                }
                match extra {
                    Some(Json::Bool(true)) => {}
                    Some(s @ Json::Object(_)) => walk(root, s, v, &here, out),
                    _ => out.push((here, unknown_message(&key, &props))),
                }
            }
        }
        Value::Sequence(items) => {
            let lists: Vec<&Json> = alts
                .into_iter()
                .filter(|s| s.get("items").is_some())
                .collect();
            let [list] = lists[..] else { return };
            let Some(item) = list.get("items") else {
                return;
            };
            for (i, v) in items.iter().enumerate() {
                walk(root, item, v, &format!("{path}[{i}]"), out);
            }
        }
        Value::Tagged(t) => walk(root, schema, &t.value, path, out),
        scalar => {
            let found = json_type(scalar);
            let mut wanted = Vec::new();
            for alt in &alts {
                match alt.get("type") {
                    Some(Json::String(t)) => wanted.push(t.as_str()),
                    Some(Json::Array(ts)) => wanted.extend(ts.iter().filter_map(Json::as_str)),
                    // An alternative without a type (any value, a constant) takes it.
                    _ => return,
                }
            }
            let fits = wanted
                .iter()
                .any(|&t| t == found || (t == "number" && found == "integer"));
            if !fits && !wanted.is_empty() {
                out.push((path.to_string(), type_message(scalar, found, &wanted)));
            }
        }
    }
}

/// The JSON Schema type of a YAML scalar.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Sequence(_) => "array",
        Value::Mapping(_) => "object",
        Value::Tagged(_) => "tagged value",
    }
}

/// "expected a whole number, found the text `abc`".
fn type_message(v: &Value, found: &str, wanted: &[&str]) -> String {
    let words = |t: &str| match t {
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "a text",
        "boolean" => "`true` or `false`",
        "array" => "a list",
        "object" => "a mapping",
        _ => "nothing",
    };
    let mut expected: Vec<&str> = wanted
        .iter()
        .filter(|&&t| t != "null")
        .map(|&t| words(t))
        .collect();
    expected.dedup();
    let shown = match v {
        Value::String(s) => format!("the text `{}`", s.escape_debug()),
        Value::Null => "nothing".into(),
        other => format!("`{}`", key_text(other)),
    };
    let _ = found;
    format!("expected {}, found {shown}", expected.join(" or "))
}

/// "unknown field `cuont`, expected one of `count`, `device`, ...; did you mean `count`?"
fn unknown_message(key: &str, props: &Map<String, Json>) -> String {
    let names: Vec<&str> = props.keys().map(String::as_str).collect();
    let expected = match names.as_slice() {
        [] => "there are no fields".to_string(),
        [one] => format!("expected `{one}`"),
        [a, b] => format!("expected `{a}` or `{b}`"),
        many => format!(
            "expected one of {}",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let hint = did_you_mean(key, names.iter().copied())
        .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
    format!("unknown field `{key}`, {expected}{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(yaml: &str) -> Vec<(String, String)> {
        let doc: Value = serde_yaml::from_str(yaml).unwrap();
        problems(crate::scenario_schema(), &doc)
    }

    #[test]
    fn every_unknown_key_is_found_at_any_depth_with_a_suggestion() {
        let found = unknown(
            "name: x\nduraton: 1h\nsensing:\n  - { group: a, device: ecg_patch, batery: 1kJ, streams: [{ name: s, to: b, evry: 1s }] }\nlinks:\n  - { name: l, from: a, to: b, profile: wan, los: 0.1 }\nprofiles:\n  devices:\n    p: { extends: ecg_patch, sleep_powr: 1uW }\n  ciphers:\n    c: { extends: ascon128, overhed: 4B }\nareas:\n  ward: { origin: [0, 0], size: [1, 1], colour: red }\n",
        );
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "duraton",
                "sensing[0].batery",
                "sensing[0].streams[0].evry",
                "links[0].los",
                "profiles.devices.p.sleep_powr",
                "profiles.ciphers.c.overhed",
                "areas.ward.colour"
            ]
        );
        for (m, right) in found.iter().map(|(_, m)| m).zip([
            "duration",
            "battery",
            "every",
            "loss",
            "sleep_power",
            "overhead",
        ]) {
            assert!(m.contains(&format!("did you mean `{right}`")), "{m}");
        }
    }

    #[test]
    fn parameters_names_and_lists_are_not_unknown_keys() {
        // Attack parameters, a named area, a one-or-many `from`, sweep values and variants.
        let found = unknown(
            "name: x\nattacks:\n  - { name: a, kind: eavesdrop, links: [l], capture_probability: 0.5, anything: 1 }\nlinks:\n  - { name: l, from: [a, b], to: c, profile: wan }\nsweep:\n  parameters:\n    - { path: a.b, values: [1, { x: 2 }] }\n  variants:\n    - { name: v, set: { attacks.a.rate: 1/s } }\n  factors:\n    e2e: [off, { name: on, set: { x: 1 } }, { name: bad, sett: {} }]\n",
        );
        assert_eq!(
            found.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            ["sweep.factors.e2e[2].sett"]
        );
    }

    #[test]
    fn values_of_the_wrong_type_are_found_each_at_its_field() {
        let found = unknown(
            "name: x\nreplications: many\nsensing:\n  - { group: a, device: p, servers: two, count: 1.5 }\nlinks:\n  - { name: l, from: a, to: b, profile: wan, loss: high }\n",
        );
        assert_eq!(
            found,
            [
                (
                    "replications".to_string(),
                    "expected a whole number, found the text `many`".to_string()
                ),
                (
                    "sensing[0].servers".to_string(),
                    "expected a whole number, found the text `two`".to_string()
                ),
                (
                    "sensing[0].count".to_string(),
                    "expected a whole number, found `1.5`".to_string()
                ),
                (
                    "links[0].loss".to_string(),
                    "expected a number, found the text `high`".to_string()
                ),
            ]
        );
        // What serde reads fine passes: integers for numbers, text or numbers for quantities.
        assert!(unknown("name: x\nduration: 3600\ncost_per_record: 10\n").is_empty());
    }

    #[test]
    fn the_published_schema_is_closed_where_the_reader_is() {
        let s = crate::json_schema();
        let group = &s["$defs"]["RawGroup"];
        assert_eq!(group["additionalProperties"], Json::Bool(false));
        // Flattened device fields are part of the group's keys.
        assert!(group["properties"].get("battery").is_some(), "{group}");
        // An attack's parameters are open.
        assert_ne!(
            s["$defs"]["RawAttack"]["additionalProperties"],
            Json::Bool(false)
        );
    }
}
