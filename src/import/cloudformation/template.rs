//! Reading a template: JSON, or YAML with CloudFormation's short-form tags (`!Ref X`,
//! `!GetAtt A.B`, `!Sub ...`) turned into their long forms (`{"Ref": "X"}`,
//! `{"Fn::GetAtt": ["A", "B"]}`), so that the evaluator sees one shape.

use serde_json::{json, Map, Value};
use serde_yaml_ng::Value as Yaml;

/// Parses `text` as JSON when it looks like JSON, else as YAML.
pub fn parse(text: &str) -> Result<Value, String> {
    if text.trim_start().starts_with('{') {
        if let Ok(v) = serde_json::from_str(text) {
            return Ok(v);
        }
    }
    let yaml: Yaml =
        serde_yaml_ng::from_str(text).map_err(|e| format!("not valid YAML or JSON: {e}"))?;
    Ok(convert(yaml))
}

fn convert(yaml: Yaml) -> Value {
    match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                json!(i)
            } else if let Some(u) = n.as_u64() {
                json!(u)
            } else {
                n.as_f64().map(|f| json!(f)).unwrap_or(Value::Null)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(convert).collect()),
        Yaml::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    other => format!("{other:?}"),
                };
                out.insert(key, convert(v));
            }
            Value::Object(out)
        }
        Yaml::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!');
            let value = convert(tagged.value);
            long_form(name, value)
        }
    }
}

/// `!Ref X` → `{"Ref": "X"}`, `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`, `!Sub s` →
/// `{"Fn::Sub": s}`, `!Condition C` → `{"Condition": "C"}`.
fn long_form(name: &str, value: Value) -> Value {
    match name {
        "Ref" => json!({ "Ref": value }),
        "Condition" => json!({ "Condition": value }),
        "GetAtt" => {
            let value = match value {
                Value::String(s) => match s.split_once('.') {
                    Some((a, b)) => json!([a, b]),
                    None => json!([s]),
                },
                other => other,
            };
            json!({ "Fn::GetAtt": value })
        }
        other => {
            let mut m = Map::new();
            m.insert(format!("Fn::{other}"), value);
            Value::Object(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_become_long_forms() {
        let v = parse(
            "A: !Ref X\nB: !GetAtt Vpc.CidrBlock\nC: !Select [0, !GetAZs '']\nD: !Sub '${X}-a'\n",
        )
        .unwrap_or_default();
        assert_eq!(v["A"], json!({ "Ref": "X" }));
        assert_eq!(v["B"], json!({ "Fn::GetAtt": ["Vpc", "CidrBlock"] }));
        assert_eq!(v["C"], json!({ "Fn::Select": [0, { "Fn::GetAZs": "" }] }));
        assert_eq!(v["D"], json!({ "Fn::Sub": "${X}-a" }));
    }
}
