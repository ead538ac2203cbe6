//! Compiles the PostgreSQL variant of the crash test (tests/crash.rs) as real tests when
//! LIEU_TEST_DATABASE_URL is set, and as ignored tests (reported as such) when it is not.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(lieu_postgres_tests)");
    println!("cargo::rerun-if-env-changed=LIEU_TEST_DATABASE_URL");
    if std::env::var_os("LIEU_TEST_DATABASE_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=lieu_postgres_tests");
    }
}
