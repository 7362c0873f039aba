//! Where each page of the site lives, below the site's root: the one place the views, the open
//! data, the sitemap and the search page's result cards (through the card template, whose link
//! is an entry's path with `{id}` in it) take a page's path from. A page path ends in `/`: the
//! page is that folder's `index.html` ([`file`]).

/// An entry's page.
pub fn entry(id: &str) -> String {
    format!("entries/{id}/")
}

/// A 50音 row's list (`entries/` too: [`crate::gojuon`] keeps entry ids off the rows' names).
pub fn row(slug: &str) -> String {
    format!("entries/{slug}/")
}

/// A category's list.
pub fn category(id: &str) -> String {
    format!("categories/{id}/")
}

/// A region's list.
pub fn region(id: &str) -> String {
    format!("regions/{id}/")
}

/// A municipality's list, by its five-digit code.
pub fn municipality(code: &str) -> String {
    format!("municipalities/{code}/")
}

/// A care item's list.
pub fn care(id: &str) -> String {
    format!("care/{id}/")
}

/// A region's gap page.
pub fn gap(region: &str) -> String {
    format!("gaps/{region}/")
}

/// The file that holds the page at `page`.
pub fn file(page: &str) -> String {
    format!("{page}index.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_folders_and_their_files_are_the_index() {
        assert_eq!(entry("tsu-hidamari"), "entries/tsu-hidamari/");
        assert_eq!(
            file(&entry("tsu-hidamari")),
            "entries/tsu-hidamari/index.html"
        );
        assert_eq!(municipality("24201"), "municipalities/24201/");
        assert_eq!(file(""), "index.html");
        for page in [row("a"), category("x"), region("x"), care("x"), gap("x")] {
            assert!(page.ends_with('/') && !page.starts_with('/'), "{page}");
        }
    }
}
