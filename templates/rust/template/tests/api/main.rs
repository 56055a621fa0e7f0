//! Integration tests: the whole router, driven in-process with `tower::ServiceExt::oneshot`.
//!
//! One test binary with a module per area links once, however many areas there are.

mod health;
mod http;
mod items;
mod store;
mod support;
