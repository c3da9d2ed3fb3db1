//! Communities and their Community Economic Development (CED) plans
//! (issue 19 item 6): a community is a named area of the programme — a
//! versioned area selection, the same [`crate::place::selection::AreaSelection`]
//! the area of benefit is — with its own members, who may edit its plan.
//! A plan has aspirations, priorities and actions; its progress is computed
//! from the actions' statuses, never typed.

pub mod asset;
pub mod hsds;
pub mod plan;
pub mod record;

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, [$($(#[$vdoc:meta])* $variant:ident = $slug:literal),+ $(,)?]) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.slug() == s.trim())
            }
            pub fn label_key(self) -> String {
                format!(concat!($prefix, ".{}"), self.slug())
            }
        }
    };
}
pub(crate) use choice;
