//! The browser test of `report.html` (`tests/browser.rs`, feature `browser`). This library is
//! empty: the package exists so that the test's dependencies stay out of the workspace's
//! feature resolution (see `Cargo.toml`).
