//! Where a hop or a drop is, as ids and names: rendered when printed, compared as its text.

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Serialize, Serializer};

use crate::syntax::Direction;

/// What a hop or a drop is at: `nacl shop.data_acl outbound`, `route_table shop.private_a`.
///
/// Two components are equal (and hash alike) when their texts are, whichever way each is held:
/// the lint rules look components up by the text they write. Small (a name and two bytes),
/// because a lint run holds one per hop of every intended flow.
#[derive(Clone, Debug)]
pub enum Component<'n> {
    /// `{kind} {name}`, then ` {side}` when there is one (`inbound`, `egress`).
    Item {
        kind: Kind,
        /// The item's name in the network (a thin reference: 16 bytes a component).
        name: &'n String,
        side: Option<Side>,
    },
    /// Words made at once (rare paths: a routing loop, a party's label).
    Text(Box<String>),
}

/// The kinds of item a hop is at, as written in `.vnet`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Attachment,
    Connection,
    Endpoint,
    Instance,
    InternetGateway,
    Nacl,
    NatGateway,
    OnPremises,
    Peering,
    RouteTable,
    SecurityGroup,
    TransitGateway,
    VpnGateway,
}

impl Kind {
    const ALL: [Kind; 13] = [
        Kind::Attachment,
        Kind::Connection,
        Kind::Endpoint,
        Kind::Instance,
        Kind::InternetGateway,
        Kind::Nacl,
        Kind::NatGateway,
        Kind::OnPremises,
        Kind::Peering,
        Kind::RouteTable,
        Kind::SecurityGroup,
        Kind::TransitGateway,
        Kind::VpnGateway,
    ];

    fn from_word(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.word() == word)
    }

    fn word(self) -> &'static str {
        match self {
            Kind::Attachment => "attachment",
            Kind::Connection => "connection",
            Kind::Endpoint => "endpoint",
            Kind::Instance => "instance",
            Kind::InternetGateway => "internet_gateway",
            Kind::Nacl => "nacl",
            Kind::NatGateway => "nat_gateway",
            Kind::OnPremises => "on_premises",
            Kind::Peering => "peering",
            Kind::RouteTable => "route_table",
            Kind::SecurityGroup => "security_group",
            Kind::TransitGateway => "transit_gateway",
            Kind::VpnGateway => "vpn_gateway",
        }
    }
}

/// Which way a filter is crossed: a NACL's `inbound`/`outbound`, a group's `ingress`/`egress`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Inbound,
    Outbound,
    Ingress,
    Egress,
}

impl Side {
    /// A NACL's side (`nacl`) or a security group's for the direction.
    pub fn of(direction: Direction, nacl: bool) -> Self {
        match (direction, nacl) {
            (Direction::Inbound, true) => Side::Inbound,
            (Direction::Outbound, true) => Side::Outbound,
            (Direction::Inbound, false) => Side::Ingress,
            (Direction::Outbound, false) => Side::Egress,
        }
    }

    fn from_word(word: &str) -> Option<Side> {
        [Side::Inbound, Side::Outbound, Side::Ingress, Side::Egress]
            .into_iter()
            .find(|s| s.word() == word)
    }

    fn word(self) -> &'static str {
        match self {
            Side::Inbound => "inbound",
            Side::Outbound => "outbound",
            Side::Ingress => "ingress",
            Side::Egress => "egress",
        }
    }
}

impl<'n> Component<'n> {
    pub fn item(kind: Kind, name: &'n String) -> Self {
        Component::Item {
            kind,
            name,
            side: None,
        }
    }

    pub fn sided(kind: Kind, name: &'n String, side: Side) -> Self {
        Component::Item {
            kind,
            name,
            side: Some(side),
        }
    }

    /// The text in pieces (no allocation): what `Display`, `Eq` and `Hash` read.
    fn pieces(&self) -> [&str; 5] {
        match self {
            Component::Item { kind, name, side } => match side {
                Some(side) => [kind.word(), " ", name, " ", side.word()],
                None => [kind.word(), " ", name, "", ""],
            },
            Component::Text(text) => [text, "", "", "", ""],
        }
    }

    /// The kind, name and side, also of a text that reads as an item (`route_table x`):
    /// names have no spaces, so the text of an item reads back as that item alone.
    fn as_item(&self) -> Option<(Kind, &str, Option<Side>)> {
        match self {
            Component::Item { kind, name, side } => Some((*kind, name, *side)),
            Component::Text(text) => {
                let (word, rest) = text.split_once(' ')?;
                let kind = Kind::from_word(word)?;
                match rest.split_once(' ') {
                    None => Some((kind, rest, None)),
                    Some((name, side)) => Some((kind, name, Some(Side::from_word(side)?))),
                }
            }
        }
    }

    pub fn ends_with(&self, suffix: &str) -> bool {
        let mut rest = suffix;
        for piece in self.pieces().into_iter().rev() {
            if rest.is_empty() {
                return true;
            }
            if let Some(before) = rest.strip_suffix(piece) {
                rest = before;
            } else {
                return piece.ends_with(rest);
            }
        }
        rest.is_empty()
    }
}

impl From<String> for Component<'_> {
    fn from(text: String) -> Self {
        Component::Text(Box::new(text))
    }
}

impl From<&str> for Component<'_> {
    fn from(text: &str) -> Self {
        Component::Text(Box::new(text.to_string()))
    }
}

impl fmt::Display for Component<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.pieces().iter().try_for_each(|p| f.write_str(p))
    }
}

impl PartialEq for Component<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            // An item's name is one string of the network: the same reference, mostly.
            (
                Component::Item { kind, name, side },
                Component::Item {
                    kind: k,
                    name: n,
                    side: s,
                },
            ) => kind == k && side == s && (std::ptr::eq(*name, *n) || name == n),
            // A text equals an item that reads the same.
            (_, Component::Text(text)) => self == text.as_str(),
            (Component::Text(text), _) => other == text.as_str(),
        }
    }
}

impl Eq for Component<'_> {}

impl PartialEq<str> for Component<'_> {
    /// Piece by piece, each a slice comparison (rules compare every hop of many traces with
    /// a component they write: a byte at a time, this was most of a rule's time).
    fn eq(&self, other: &str) -> bool {
        let mut rest = other;
        for piece in self.pieces() {
            match rest.strip_prefix(piece) {
                Some(after) => rest = after,
                None => return false,
            }
        }
        rest.is_empty()
    }
}

impl PartialEq<String> for Component<'_> {
    fn eq(&self, other: &String) -> bool {
        self == other.as_str()
    }
}

impl Hash for Component<'_> {
    /// An item's kind, name and side, whether it is held as an item or as the text that
    /// reads as one (equal components hash alike); any other text as itself.
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self.as_item() {
            Some((kind, name, side)) => {
                state.write_u8(kind as u8);
                name.hash(state);
                state.write_u8(side.map_or(0xff, |s| s as u8));
            }
            // Only a text reads as no item.
            None => self.pieces()[0].hash(state),
        }
    }
}

impl Serialize for Component<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn an_item_and_its_text_are_equal_and_hash_alike() {
        let hasher = rustc_hash::FxBuildHasher;
        let names = ["shop.private_a", "shop.data_acl", "app_sg", "x"].map(String::from);
        let cases = [
            Component::item(Kind::RouteTable, &names[0]),
            Component::sided(Kind::Nacl, &names[1], Side::Outbound),
            Component::sided(Kind::SecurityGroup, &names[2], Side::Egress),
        ];
        for item in cases {
            let text = Component::from(item.to_string());
            assert_eq!(item, text);
            assert_eq!(hasher.hash_one(&item), hasher.hash_one(&text), "{item}");
        }
        let other = Component::from("a routing loop at route_table x");
        assert_ne!(Component::item(Kind::RouteTable, &names[3]), other);
        assert_eq!(hasher.hash_one(&other), hasher.hash_one(other.clone()));
    }

    /// Comparisons with a text, read piece by piece, say what the whole text would.
    #[test]
    fn text_comparisons_agree_with_the_whole_text() {
        let names = ["shop.private_a", "x", ""].map(String::from);
        let components = [
            Component::item(Kind::RouteTable, &names[0]),
            Component::sided(Kind::Nacl, &names[1], Side::Outbound),
            Component::sided(Kind::SecurityGroup, &names[2], Side::Egress),
            Component::from("a routing loop at route_table x"),
        ];
        for component in &components {
            let text = component.to_string();
            let mut probes: Vec<String> = (0..=text.len())
                .flat_map(|i| [text[..i].to_string(), text[i..].to_string()])
                .collect();
            probes.extend([
                format!("{text} "),
                format!(" {text}"),
                text.replace(' ', "_"),
            ]);
            for other in &components {
                probes.push(other.to_string());
                let other_text = other.to_string();
                assert_eq!(component == other, text == other_text);
            }
            for probe in &probes {
                assert_eq!(
                    *component == **probe,
                    text == *probe,
                    "{text:?} == {probe:?}"
                );
                assert_eq!(
                    component.ends_with(probe),
                    text.ends_with(probe.as_str()),
                    "{text:?} ends with {probe:?}"
                );
            }
        }
    }
}
