//! References at their positions: what kinds a position accepts, unknown names with "did you
//! mean", wrong kinds, references into another VPC, and AWS service names.

use super::Lowerer;
use crate::aws;
use crate::diagnostics::{codes, Diag};
use crate::ir::{DeclId, Scope};
use crate::syntax::{BlockKind, Value, ValueKind};

/// What a service position resolved to.
pub(super) enum ServiceRef {
    Item(DeclId),
    Aws(String),
}

impl Lowerer<'_> {
    /// Resolves a reference that must name an item of one of `accepted` kinds. `role` says
    /// what the position is for ("the subnet's route table").
    pub(super) fn reference(
        &mut self,
        value: &Value,
        accepted: &[BlockKind],
        role: &str,
    ) -> Option<DeclId> {
        let ValueKind::Ref(path) = &value.kind else {
            let diag = Diag::error(
                codes::WRONG_KIND,
                self.origin(value.id),
                format!(
                    "{role} must be {}, found `{}`",
                    describe_kinds(accepted),
                    value.describe()
                ),
            )
            .label(format!("expected {}", describe_kinds(accepted)));
            self.error(diag);
            return None;
        };
        let resolved = self.resolution.get(self.file, value.id)?;
        match resolved.decl {
            None => {
                self.unknown_name(value, path.as_str(), resolved.scope, accepted, role, false);
                None
            }
            Some(d) => {
                let kind = self.index.decls[d].kind;
                if accepted.contains(&kind) {
                    return self.is_live(d).then_some(d);
                }
                let name = self.qualified(d);
                let diag = Diag::error(
                    codes::WRONG_KIND,
                    self.origin(value.id),
                    format!(
                        "`{}` is {}, but {role} must be {}",
                        path,
                        kind.describe(),
                        describe_kinds(accepted)
                    ),
                )
                .label(format!("{} `{name}`", kind.describe()))
                .secondary(
                    self.index.decls[d].name_origin,
                    format!("`{name}` is declared here"),
                );
                self.error(diag);
                None
            }
        }
    }

    /// Like [`Self::reference`], for a position that also accepts an AWS service name
    /// (`service`, `uses`, security group peers, `expect`): an in-scope item of an accepted
    /// kind wins; otherwise the name is an AWS service, which must exist.
    pub(super) fn service_or_item(
        &mut self,
        value: &Value,
        accepted: &[BlockKind],
        role: &str,
    ) -> Option<ServiceRef> {
        let ValueKind::Ref(path) = &value.kind else {
            return None;
        };
        let resolved = self.resolution.get(self.file, value.id)?;
        if let Some(d) = resolved.decl {
            if accepted.contains(&self.index.decls[d].kind) && self.is_live(d) {
                return Some(ServiceRef::Item(d));
            }
        }
        let name = path.to_string();
        if aws::is_service(&name) {
            return Some(ServiceRef::Aws(name));
        }
        match resolved.decl {
            // Declared, but of a kind this position does not take (a subnet as a rule's source).
            Some(d) if !accepted.contains(&self.index.decls[d].kind) => {
                let kind = self.index.decls[d].kind;
                let qualified = self.qualified(d);
                let diag = Diag::error(
                    codes::WRONG_KIND,
                    self.origin(value.id),
                    format!("`{name}` is {}, but {role}", kind.describe()),
                )
                .label(format!("{} `{qualified}`", kind.describe()))
                .secondary(
                    self.index.decls[d].name_origin,
                    format!("`{qualified}` is declared here"),
                );
                self.error(diag);
            }
            _ => self.unknown_name(value, path.as_str(), resolved.scope, accepted, role, true),
        }
        None
    }

    fn unknown_name(
        &mut self,
        value: &Value,
        path: &str,
        scope: Scope,
        accepted: &[BlockKind],
        role: &str,
        services: bool,
    ) {
        let name = path.to_string();
        if path.split('.').any(|p| self.index.swallowed.contains(p)) {
            // Its declaration may be in text a syntax error swallowed: that error suffices.
            return;
        }
        let mut candidates: Vec<String> = Vec::new();
        for (d, decl) in self.index.decls.iter().enumerate() {
            if !accepted.contains(&decl.kind) || !self.is_live(d) {
                continue;
            }
            let visible_bare = decl.scope == scope || decl.scope == Scope::Top;
            candidates.push(if visible_bare {
                decl.name.clone()
            } else {
                self.qualified(d)
            });
        }
        if services {
            candidates.extend(aws::SERVICES.iter().map(|s| s.to_string()));
        }
        let suggestion = did_you_mean(&name, &candidates);
        // In a service position, a name is an unknown item when it reaches into a VPC or
        // transit gateway (`hub.vpce_sgg`) or is closest to an item; otherwise it was meant
        // as an AWS service (`s4`, `ecr.apii`).
        let into_item = path
            .split_once('.')
            .is_some_and(|(outer, _)| self.index.lookup(Scope::Top, outer).is_some());
        let like_item = suggestion.as_deref().is_some_and(|s| !aws::is_service(s));
        let unknown_service = services && !into_item && !like_item;
        let mut diag = if unknown_service {
            Diag::error(
                codes::UNKNOWN_SERVICE,
                self.origin(value.id),
                format!(
                    "`{name}` is not an AWS service, nor {} in scope",
                    describe_kinds(accepted)
                ),
            )
            .note(role)
        } else if services {
            Diag::error(
                codes::UNKNOWN_NAME,
                self.origin(value.id),
                format!("unknown name `{name}`: {role}"),
            )
        } else {
            Diag::error(
                codes::UNKNOWN_NAME,
                self.origin(value.id),
                format!(
                    "unknown name `{name}`: {role} must be {}",
                    describe_kinds(accepted)
                ),
            )
        };
        diag = match &suggestion {
            Some(s) => diag
                .label(format!("did you mean `{s}`?"))
                .suggest(s.clone()),
            None if unknown_service => diag.label("no AWS service has this name"),
            None => diag.label("not declared anywhere in the workspace"),
        };
        if unknown_service && suggestion.is_none() {
            diag = diag.note("AWS services are named as in their endpoint names after `com.amazonaws.REGION.` (`s3`, `ecr.api`, `ssmmessages`)");
        }
        self.error(diag);
    }

    /// Reports (and returns false) when `target`'s VPC is not `vpc`.
    pub(super) fn same_vpc(
        &mut self,
        target: DeclId,
        vpc: DeclId,
        value: &Value,
        role: &str,
    ) -> bool {
        let Some(target_vpc) = self.vpc_of(target) else {
            return true;
        };
        if target_vpc == vpc {
            return true;
        }
        let name = self.qualified(target);
        let diag = Diag::error(
            codes::CROSS_VPC_REFERENCE,
            self.origin(value.id),
            format!(
                "{role} must be in VPC `{}`, but `{name}` is in VPC `{}`",
                self.index.decls[vpc].name, self.index.decls[target_vpc].name
            ),
        )
        .label("in another VPC")
        .secondary(
            self.index.decls[target].name_origin,
            format!("`{name}` is declared here"),
        )
        .note("AWS associates these only within one VPC");
        self.error(diag);
        false
    }
}

/// "a subnet", "a security group or a CIDR block", "an instance, a function or a database".
pub(crate) fn describe_kinds(kinds: &[BlockKind]) -> String {
    let words: Vec<&str> = kinds.iter().map(|k| k.describe()).collect();
    match words.as_slice() {
        [] => "nothing".to_string(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The candidate closest to `name`, if it is close enough to be a likely misspelling.
pub(crate) fn did_you_mean(name: &str, candidates: &[String]) -> Option<String> {
    let limit = (name.len() / 3).max(1);
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|&(d, _)| d > 0 && d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c.clone())
        .or_else(|| {
            // A bare name that exists only inside another VPC: suggest the qualified name.
            candidates
                .iter()
                .find(|c| c.rsplit('.').next() == Some(name) && c.contains('.'))
                .cloned()
        })
}
