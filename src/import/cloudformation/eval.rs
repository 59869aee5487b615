//! Resolving a template's values: parameters (given, else their defaults), pseudo
//! parameters, conditions and the intrinsic functions. A reference to a resource stays a
//! reference (`{"__ref": "LogicalId"}`), for the converter to turn into a vnet reference; what
//! cannot be resolved is an [`Unresolved`] naming its path in the template.

use std::collections::HashMap;

use ipnet::IpNet;
use serde_json::{json, Map, Value};

/// A value that cannot be computed from the template alone, and where it is.
#[derive(Clone, Debug)]
pub struct Unresolved {
    pub path: String,
    pub reason: String,
}

pub struct Eval<'a> {
    pub template: &'a Value,
    pub params: HashMap<String, Value>,
    pub region: String,
    pub stack: String,
    conditions: HashMap<String, bool>,
}

const NO_VALUE: &str = "__novalue";

/// What `Fn::GetAtt [VPC, DefaultSecurityGroup]` gives: the VPC's default group, which vnet
/// keeps implicit.
pub const DEFAULT_GROUP: &str = "__default_security_group";

fn unresolved<T>(path: &str, reason: impl Into<String>) -> Result<T, Unresolved> {
    Err(Unresolved {
        path: path.to_string(),
        reason: reason.into(),
    })
}

/// The resource a value refers to (`Ref` or `Fn::GetAtt` of a resource).
pub fn resource_ref(v: &Value) -> Option<&str> {
    v.get("__ref").and_then(Value::as_str)
}

/// The availability zones `Fn::GetAZs` gives for a region.
pub fn azs(region: &str) -> Vec<String> {
    let n = if region == "us-east-1" { 6 } else { 3 };
    "abcdef"
        .chars()
        .take(n)
        .map(|c| format!("{region}{c}"))
        .collect()
}

impl<'a> Eval<'a> {
    /// Parameters from `given` (then defaults). Also returns the given names the template
    /// lacks, and the zone parameters without a default that got the region's zones.
    pub fn new(
        template: &'a Value,
        given: &[(String, String)],
        region: &str,
        stack: &str,
    ) -> (Self, Vec<String>, Vec<String>) {
        let mut params = HashMap::new();
        let mut unknown = Vec::new();
        let mut defaulted = Vec::new();
        let declared = template.get("Parameters").and_then(Value::as_object);
        for (k, v) in given {
            if declared.is_some_and(|d| d.contains_key(k)) {
                params.insert(k.clone(), Value::String(v.clone()));
            } else {
                unknown.push(k.clone());
            }
        }
        for (name, p) in declared.into_iter().flatten() {
            if !params.contains_key(name) {
                if let Some(d) = p.get("Default") {
                    params.insert(name.clone(), d.clone());
                } else if let Some(service) = template
                    .pointer("/Metadata/vnet/PrefixLists")
                    .and_then(|m| m.get(name))
                    .and_then(Value::as_str)
                {
                    // An exported template's prefix list parameter: the service it stands for.
                    params.insert(name.clone(), json!(service));
                } else if let Some(zones) = p
                    .get("Type")
                    .and_then(Value::as_str)
                    .filter(|t| t.contains("AvailabilityZone::Name"))
                {
                    // Zones without a default: the region's, in order (as a user would pick).
                    let azs = azs(region);
                    let value = if zones.starts_with("List<") {
                        json!(azs)
                    } else {
                        json!(azs[0])
                    };
                    params.insert(name.clone(), value);
                    defaulted.push(name.clone());
                }
            }
            let is_list = p
                .get("Type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with("List<") || t == "CommaDelimitedList");
            if let Some(Value::String(s)) = params.get(name) {
                if is_list {
                    let items: Vec<Value> = s.split(',').map(|x| json!(x.trim())).collect();
                    params.insert(name.clone(), Value::Array(items));
                }
            } else if let Some(Value::Number(n)) = params.get(name) {
                params.insert(name.clone(), json!(n.to_string()));
            }
        }
        let mut eval = Eval {
            template,
            params,
            region: region.to_string(),
            stack: stack.to_string(),
            conditions: HashMap::new(),
        };
        eval.conditions = eval.all_conditions();
        (eval, unknown, defaulted)
    }

    fn all_conditions(&self) -> HashMap<String, bool> {
        let mut out = HashMap::new();
        if let Some(conds) = self.template.get("Conditions").and_then(Value::as_object) {
            for name in conds.keys() {
                let value = self.condition(name, 0).unwrap_or(false);
                out.insert(name.clone(), value);
            }
        }
        out
    }

    /// A condition's value; `None` when it cannot be decided (then treated as false).
    fn condition(&self, name: &str, depth: usize) -> Option<bool> {
        if let Some(v) = self.conditions.get(name) {
            return Some(*v);
        }
        if depth > 32 {
            return None;
        }
        let expr = self.template.get("Conditions")?.get(name)?;
        self.boolean(expr, &format!("Conditions.{name}"), depth + 1)
            .ok()
    }

    fn boolean(&self, v: &Value, path: &str, depth: usize) -> Result<bool, Unresolved> {
        if let Some(c) = v.get("Condition").and_then(Value::as_str) {
            return match self.condition(c, depth) {
                Some(b) => Ok(b),
                None => unresolved(path, format!("condition `{c}` cannot be decided")),
            };
        }
        let Some((f, arg)) = v.as_object().and_then(|m| m.iter().next()) else {
            return match v {
                Value::Bool(b) => Ok(*b),
                Value::String(s) if s == "true" || s == "false" => Ok(s == "true"),
                _ => unresolved(path, "not a condition"),
            };
        };
        let args = arg.as_array().map(Vec::as_slice).unwrap_or(&[]);
        match f.as_str() {
            "Fn::Equals" => {
                let [a, b] = args else {
                    return unresolved(path, "Fn::Equals takes two values");
                };
                let a = self.eval(a, &format!("{path}.Fn::Equals[0]"))?;
                let b = self.eval(b, &format!("{path}.Fn::Equals[1]"))?;
                Ok(scalar(&a) == scalar(&b))
            }
            "Fn::Not" => match args {
                [x] => Ok(!self.boolean(x, &format!("{path}.Fn::Not"), depth + 1)?),
                _ => unresolved(path, "Fn::Not takes one condition"),
            },
            "Fn::And" | "Fn::Or" => {
                let mut values = Vec::new();
                for (i, x) in args.iter().enumerate() {
                    values.push(self.boolean(x, &format!("{path}.{f}[{i}]"), depth + 1)?);
                }
                Ok(if f == "Fn::And" {
                    values.iter().all(|b| *b)
                } else {
                    values.iter().any(|b| *b)
                })
            }
            _ => {
                let value = self.eval(v, path)?;
                self.boolean(&value, path, depth + 1)
            }
        }
    }

    /// Whether a resource's `Condition` holds (no condition: true).
    pub fn holds(&self, name: &str) -> bool {
        self.conditions.get(name).copied().unwrap_or(false)
    }

    /// The value of `v` (at `path`) with every intrinsic function applied.
    pub fn eval(&self, v: &Value, path: &str) -> Result<Value, Unresolved> {
        match v {
            Value::Array(items) => {
                let mut out = Vec::new();
                for (i, x) in items.iter().enumerate() {
                    let x = self.eval(x, &format!("{path}[{i}]"))?;
                    if x.get(NO_VALUE).is_none() {
                        out.push(x);
                    }
                }
                Ok(Value::Array(out))
            }
            Value::Object(map) if map.len() == 1 => {
                let (k, arg) = map
                    .iter()
                    .next()
                    .map(|(k, a)| (k.as_str(), a))
                    .unwrap_or(("", v));
                if k == "Ref" || k.starts_with("Fn::") {
                    self.function(k, arg, &format!("{path}.{k}"))
                } else {
                    self.object(map, path)
                }
            }
            Value::Object(map) => self.object(map, path),
            other => Ok(other.clone()),
        }
    }

    fn object(&self, map: &Map<String, Value>, path: &str) -> Result<Value, Unresolved> {
        let mut out = Map::new();
        for (k, x) in map {
            let x = self.eval(x, &format!("{path}.{k}"))?;
            if x.get(NO_VALUE).is_none() {
                out.insert(k.clone(), x);
            }
        }
        Ok(Value::Object(out))
    }

    fn string(&self, v: &Value, path: &str) -> Result<String, Unresolved> {
        match self.eval(v, path)? {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => match resource_ref(&other) {
                Some(id) => Ok(id.to_string()),
                None => unresolved(path, "expected a string"),
            },
        }
    }

    fn list(&self, v: &Value, path: &str) -> Result<Vec<Value>, Unresolved> {
        match self.eval(v, path)? {
            Value::Array(items) => Ok(items),
            Value::String(s) if s.contains(',') => {
                Ok(s.split(',').map(|x| json!(x.trim())).collect())
            }
            _ => unresolved(path, "expected a list"),
        }
    }

    fn reference(&self, name: &str, path: &str) -> Result<Value, Unresolved> {
        match name {
            "AWS::Region" => return Ok(json!(self.region)),
            "AWS::StackName" => return Ok(json!(self.stack)),
            "AWS::AccountId" => return Ok(json!("123456789012")),
            "AWS::Partition" => return Ok(json!("aws")),
            "AWS::URLSuffix" => return Ok(json!("amazonaws.com")),
            "AWS::NoValue" => return Ok(json!({ NO_VALUE: true })),
            "AWS::StackId" => {
                return Ok(json!(format!(
                    "arn:aws:cloudformation:{}:123456789012:stack/{}/0",
                    self.region, self.stack
                )))
            }
            "AWS::NotificationARNs" => return Ok(json!([])),
            _ => {}
        }
        if let Some(p) = self.params.get(name) {
            return Ok(p.clone());
        }
        if self
            .template
            .get("Parameters")
            .and_then(|p| p.get(name))
            .is_some()
        {
            return unresolved(
                path,
                format!("parameter `{name}` has no default: give it with --param {name}=VALUE"),
            );
        }
        if self
            .template
            .get("Resources")
            .and_then(|r| r.get(name))
            .is_some()
        {
            return Ok(json!({ "__ref": name }));
        }
        unresolved(
            path,
            format!("`{name}` is neither a parameter nor a resource"),
        )
    }

    fn function(&self, f: &str, arg: &Value, path: &str) -> Result<Value, Unresolved> {
        let args = |n: usize| -> Result<&[Value], Unresolved> {
            match arg.as_array() {
                Some(a) if a.len() == n => Ok(a.as_slice()),
                _ => unresolved(path, format!("{f} takes {n} arguments")),
            }
        };
        match f {
            "Ref" => {
                let name = arg
                    .as_str()
                    .map(str::to_string)
                    .map_or_else(|| self.string(arg, path), Ok)?;
                self.reference(&name, path)
            }
            "Fn::GetAtt" => {
                let parts: Vec<String> = match arg {
                    Value::String(s) => s.splitn(2, '.').map(str::to_string).collect(),
                    Value::Array(a) => a
                        .iter()
                        .enumerate()
                        .map(|(i, x)| self.string(x, &format!("{path}[{i}]")))
                        .collect::<Result<_, _>>()?,
                    _ => return unresolved(path, "Fn::GetAtt takes a resource and an attribute"),
                };
                let [res, attr] = parts.as_slice() else {
                    return unresolved(path, "Fn::GetAtt takes a resource and an attribute");
                };
                self.get_att(res, attr, path)
            }
            "Fn::Sub" => {
                let (text, vars) = match arg {
                    Value::String(s) => (s.clone(), Map::new()),
                    Value::Array(a) if a.len() == 2 => (
                        self.string(&a[0], &format!("{path}[0]"))?,
                        a[1].as_object().cloned().unwrap_or_default(),
                    ),
                    _ => return unresolved(path, "Fn::Sub takes a string, or a string and a map"),
                };
                self.sub(&text, &vars, path).map(Value::String)
            }
            "Fn::Join" => {
                let [sep, items] = args(2)? else {
                    return unresolved(path, "Fn::Join");
                };
                let sep = self.string(sep, &format!("{path}[0]"))?;
                let items = self.list(items, &format!("{path}[1]"))?;
                let strings: Result<Vec<String>, Unresolved> = items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.string(x, &format!("{path}[1][{i}]")))
                    .collect();
                Ok(json!(strings?.join(&sep)))
            }
            "Fn::Split" => {
                let [sep, s] = args(2)? else {
                    return unresolved(path, "Fn::Split");
                };
                let sep = self.string(sep, &format!("{path}[0]"))?;
                let s = self.string(s, &format!("{path}[1]"))?;
                if sep.is_empty() {
                    return unresolved(path, "Fn::Split with an empty delimiter");
                }
                Ok(json!(s.split(sep.as_str()).collect::<Vec<_>>()))
            }
            "Fn::Select" => {
                let [index, items] = args(2)? else {
                    return unresolved(path, "Fn::Select");
                };
                let index = self.string(index, &format!("{path}[0]"))?;
                let items = self.list(items, &format!("{path}[1]"))?;
                let i: usize = index.trim().parse().map_err(|_| Unresolved {
                    path: path.to_string(),
                    reason: format!("index `{index}` is not a number"),
                })?;
                items.get(i).cloned().map_or_else(
                    || {
                        unresolved(
                            path,
                            format!("index {i} is past the end of a list of {}", items.len()),
                        )
                    },
                    Ok,
                )
            }
            "Fn::GetAZs" => {
                let region = if arg.is_null() {
                    String::new()
                } else {
                    self.string(arg, path)?
                };
                let region = if region.is_empty() {
                    self.region.clone()
                } else {
                    region
                };
                Ok(json!(azs(&region)))
            }
            "Fn::Cidr" => {
                let [block, count, bits] = args(3)? else {
                    return unresolved(path, "Fn::Cidr");
                };
                let block = self.string(block, &format!("{path}[0]"))?;
                let count = self.string(count, &format!("{path}[1]"))?;
                let bits = self.string(bits, &format!("{path}[2]"))?;
                cidr(&block, &count, &bits)
                    .map_or_else(|why| unresolved(path, why), |v| Ok(json!(v)))
            }
            "Fn::If" => {
                let [cond, a, b] = args(3)? else {
                    return unresolved(path, "Fn::If");
                };
                let name = self.string(cond, &format!("{path}[0]"))?;
                if self.holds(&name) {
                    self.eval(a, &format!("{path}[1]"))
                } else {
                    self.eval(b, &format!("{path}[2]"))
                }
            }
            "Fn::Equals" | "Fn::Not" | "Fn::And" | "Fn::Or" => {
                let mut m = Map::new();
                m.insert(f.to_string(), arg.clone());
                self.boolean(&Value::Object(m), path, 0).map(Value::Bool)
            }
            "Fn::FindInMap" => {
                let items = arg.as_array().map(Vec::as_slice).unwrap_or(&[]);
                if items.len() < 3 {
                    return unresolved(path, "Fn::FindInMap takes a map, a key and a second key");
                }
                let keys: Result<Vec<String>, Unresolved> = items[..3]
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.string(x, &format!("{path}[{i}]")))
                    .collect();
                let keys = keys?;
                let found = self
                    .template
                    .get("Mappings")
                    .and_then(|m| m.get(&keys[0]))
                    .and_then(|m| m.get(&keys[1]))
                    .and_then(|m| m.get(&keys[2]));
                match found {
                    Some(v) => self.eval(v, path),
                    None => unresolved(
                        path,
                        format!("no mapping {}.{}.{}", keys[0], keys[1], keys[2]),
                    ),
                }
            }
            "Fn::Base64" => self.eval(arg, path),
            "Fn::Length" => Ok(json!(self.list(arg, path)?.len())),
            "Fn::ImportValue" => {
                let name = self.string(arg, path).unwrap_or_default();
                unresolved(path, format!("imports `{name}`, exported by another stack"))
            }
            other => unresolved(path, format!("{other} is not supported")),
        }
    }

    fn get_att(&self, res: &str, attr: &str, path: &str) -> Result<Value, Unresolved> {
        let Some(resource) = self.template.get("Resources").and_then(|r| r.get(res)) else {
            return unresolved(path, format!("`{res}` is not a resource"));
        };
        let props = resource.get("Properties");
        match attr {
            // Attributes that echo a property.
            "CidrBlock" | "PrivateIpAddress" => match props.and_then(|p| p.get(attr)) {
                Some(v) => self.eval(v, &format!("Resources.{res}.Properties.{attr}")),
                None => unresolved(path, format!("{res}.{attr} is decided by AWS")),
            },
            "Ipv6CidrBlocks" => {
                // The block AWS assigns; an exported template records it in Metadata.vnet.
                let recorded = self
                    .template
                    .get("Resources")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .find_map(|(_, r)| {
                        let vpc = r.pointer("/Properties/VpcId").and_then(resource_ref_raw);
                        (vpc == Some(res))
                            .then(|| r.pointer("/Metadata/vnet/Ipv6CidrBlock").cloned())
                            .flatten()
                    });
                match recorded {
                    Some(b) => Ok(json!([b])),
                    None => unresolved(
                        path,
                        format!("{res}.Ipv6CidrBlocks is assigned by AWS at deployment"),
                    ),
                }
            }
            // The VPC's default security group: vnet's implicit group of that VPC.
            "DefaultSecurityGroup" => Ok(json!(DEFAULT_GROUP)),
            _ => Ok(json!({ "__ref": res, "attribute": attr })),
        }
    }

    fn sub(&self, text: &str, vars: &Map<String, Value>, path: &str) -> Result<String, Unresolved> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return Ok(out);
            };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else if let Some(v) = vars.get(name) {
                out.push_str(&self.string(v, &format!("{path}.{name}"))?);
            } else if let Some((res, attr)) = name.split_once('.') {
                let v = self.get_att(res, attr, path)?;
                out.push_str(&match v {
                    Value::String(s) => s,
                    other => resource_ref(&other).unwrap_or(res).to_string(),
                });
            } else {
                let v = self.reference(name, path)?;
                out.push_str(&match v {
                    Value::String(s) => s,
                    Value::Array(items) => items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(","),
                    other => resource_ref(&other).unwrap_or(name).to_string(),
                });
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// `{"Ref": X}` in an unevaluated template.
fn resource_ref_raw(v: &Value) -> Option<&str> {
    v.get("Ref").and_then(Value::as_str)
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `Fn::Cidr`: the first `count` blocks with `bits` host bits inside `block`.
fn cidr(block: &str, count: &str, bits: &str) -> Result<Vec<String>, String> {
    let net: IpNet = block
        .parse()
        .map_err(|_| format!("`{block}` is not a CIDR block"))?;
    let count: usize = count
        .trim()
        .parse()
        .map_err(|_| format!("count `{count}` is not a number"))?;
    let bits: u8 = bits
        .trim()
        .parse()
        .map_err(|_| format!("`{bits}` is not a number of bits"))?;
    if !(1..=256).contains(&count) {
        return Err(format!("count {count} is outside 1 to 256"));
    }
    let width: u8 = if matches!(net, IpNet::V4(_)) { 32 } else { 128 };
    let prefix = width
        .checked_sub(bits)
        .filter(|p| *p >= net.prefix_len())
        .ok_or_else(|| format!("{bits} host bits do not fit in {net}"))?;
    let subnets = net.subnets(prefix).map_err(|e| e.to_string())?;
    let out: Vec<String> = subnets.take(count).map(|s| s.to_string()).collect();
    if out.len() < count {
        return Err(format!(
            "{net} holds fewer than {count} blocks of /{prefix}"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intrinsics_resolve() {
        let t = json!({
            "Parameters": { "Cidr": { "Type": "String", "Default": "10.0.0.0/16" }, "Env": { "Type": "String" } },
            "Conditions": { "IsProd": { "Fn::Equals": [{ "Ref": "Env" }, "prod"] }, "Always": { "Fn::Not": [{ "Condition": "IsProd" }] } },
            "Resources": { "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": { "Ref": "Cidr" } } } }
        });
        let (e, unknown, _) = Eval::new(
            &t,
            &[("Env".into(), "dev".into()), ("Nope".into(), "x".into())],
            "eu-west-1",
            "stack",
        );
        assert_eq!(unknown, ["Nope"]);
        let v = |x: Value| e.eval(&x, "x").map_err(|u| u.reason);
        assert_eq!(
            v(
                json!({ "Fn::Select": [1, { "Fn::Cidr": [{ "Fn::GetAtt": ["Vpc", "CidrBlock"] }, 4, 8] }] })
            ),
            Ok(json!("10.0.1.0/24"))
        );
        assert_eq!(
            v(json!({ "Fn::Select": [2, { "Fn::GetAZs": "" }] })),
            Ok(json!("eu-west-1c"))
        );
        assert_eq!(v(json!({ "Fn::If": ["Always", "a", "b"] })), Ok(json!("a")));
        assert_eq!(
            v(json!({ "Fn::Sub": "${AWS::StackName}-${Env}-${!Literal}" })),
            Ok(json!("stack-dev-${Literal}"))
        );
        assert_eq!(v(json!({ "Ref": "Vpc" })), Ok(json!({ "__ref": "Vpc" })));
        assert!(v(json!({ "Fn::ImportValue": "x" })).is_err());
    }
}
