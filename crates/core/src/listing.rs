//! Paging, sorting and searching, the same for every list.

use serde::Serialize;

/// Which page of a list to show. Pages count from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    pub const DEFAULT_PER_PAGE: u32 = 25;
    pub const MAX_PER_PAGE: u32 = 500;

    /// Missing or silly values fall back to the first page of the default size.
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Self {
        Self {
            page: page.filter(|p| *p >= 1).unwrap_or(1),
            per_page: per_page
                .filter(|p| *p >= 1)
                .unwrap_or(Self::DEFAULT_PER_PAGE)
                .min(Self::MAX_PER_PAGE),
        }
    }

    /// Everything, for exports.
    pub fn all() -> Self {
        Self {
            page: 1,
            per_page: u32::MAX,
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page as i64 - 1) * self.per_page as i64
    }

    pub fn limit(&self) -> i64 {
        self.per_page as i64
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(None, None)
    }
}

/// One page of a list and where it sits in the whole.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn total_pages(&self) -> u32 {
        if self.total == 0 {
            1
        } else {
            self.total.div_ceil(self.per_page.max(1) as u64) as u32
        }
    }

    /// One page of a list held whole in memory (selected and sorted there).
    pub fn of(all: Vec<T>, req: PageRequest) -> Page<T> {
        let total = all.len() as u64;
        Page {
            items: all
                .into_iter()
                .skip(req.offset() as usize)
                .take(req.limit() as usize)
                .collect(),
            total,
            page: req.page,
            per_page: req.per_page,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }

    /// 1-based position of the first and last item shown, for "Showing 26 to 50 of 112".
    pub fn range(&self) -> (u64, u64) {
        if self.items.is_empty() {
            return (0, 0);
        }
        let first = (self.page as u64 - 1) * self.per_page as u64 + 1;
        (first, first + self.items.len() as u64 - 1)
    }
}

/// Sort direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortDir {
    #[default]
    Asc,
    Desc,
}

impl SortDir {
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("desc") => SortDir::Desc,
            _ => SortDir::Asc,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            SortDir::Asc => "asc",
            SortDir::Desc => "desc",
        }
    }

    pub fn sql(&self) -> &'static str {
        match self {
            SortDir::Asc => "ASC",
            SortDir::Desc => "DESC",
        }
    }

    /// The direction a list asked for: `dir` when a column was chosen,
    /// otherwise descending (lists open on their newest or largest first).
    pub fn asked(sort: &str, dir: &str) -> Self {
        if sort.is_empty() {
            SortDir::Desc
        } else {
            SortDir::parse(Some(dir))
        }
    }

    /// An ascending comparison turned this way.
    pub fn order(&self, o: std::cmp::Ordering) -> std::cmp::Ordering {
        match self {
            SortDir::Asc => o,
            SortDir::Desc => o.reverse(),
        }
    }

    pub fn flip(&self) -> Self {
        match self {
            SortDir::Asc => SortDir::Desc,
            SortDir::Desc => SortDir::Asc,
        }
    }
}

/// Declares the columns a list can be sorted by: an enum with `ALL`, `parse`
/// (unknown text gives the first column) and `slug` (the URL and API name).
#[macro_export]
macro_rules! sort_columns {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $slug:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn parse(s: Option<&str>) -> Self {
                Self::ALL.iter().copied().find(|c| Some(c.slug()) == s).unwrap_or(Self::ALL[0])
            }

            pub fn slug(&self) -> &'static str {
                match self {
                    $($name::$variant => $slug),+
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::ALL[0]
            }
        }
    };
}

/// A free-text search turned into a lower-case `LIKE` pattern, with `%`, `_`
/// and `\` escaped so a person's search text is matched literally
/// (the SQL uses `ESCAPE '\'`).
pub fn like_pattern(q: Option<&str>) -> Option<String> {
    let q = q?.trim();
    if q.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(q.len() + 2);
    out.push('%');
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_maths() {
        let p = Page {
            items: vec![1, 2, 3],
            total: 53,
            page: 3,
            per_page: 25,
        };
        assert_eq!(p.total_pages(), 3);
        assert_eq!(p.range(), (51, 53));
        assert_eq!(
            PageRequest::new(Some(0), Some(10_000)).per_page,
            PageRequest::MAX_PER_PAGE
        );
        assert_eq!(PageRequest::new(Some(3), Some(25)).offset(), 50);
        assert_eq!(SortDir::asked("", "asc"), SortDir::Desc);
        assert_eq!(SortDir::asked("name", "asc"), SortDir::Asc);
        assert_eq!(SortDir::Desc.order(1.cmp(&2)), std::cmp::Ordering::Greater);
        let p = Page::of((1..=53).collect(), PageRequest::new(Some(3), Some(25)));
        assert_eq!((p.items, p.total, p.page), (vec![51, 52, 53], 53, 3));
    }

    #[test]
    fn search_text_is_literal() {
        assert_eq!(like_pattern(Some(" 100% ")).as_deref(), Some("%100\\%%"));
        assert_eq!(like_pattern(Some("A_b")).as_deref(), Some("%a\\_b%"));
        assert_eq!(like_pattern(Some("   ")), None);
    }
}
