//! Snapshots of generated code for small fixture models, one per shape kind and tricky case.
//! Every snapshotted crate is also compiled with warnings denied.

mod common;

fn snapshot_fixture(name: &str) {
    snapshot_generated(name, common::generate_fixture(name));
}

fn snapshot_generated(name: &str, generated: codegen::Generated) {
    for (path, contents) in &generated.files {
        let snapshot = format!("{name}__{}", path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(snapshot, contents);
    }
    common::check_compiles(name, &generated);
}

#[test]
fn every_shape_kind() {
    snapshot_fixture("shapes");
}

#[test]
fn names_that_fight_rust() {
    snapshot_fixture("names");
}

/// The emitters' branches for constant and templated values (host prefixes, URIs, defaults of
/// every kind, header, query and payload bindings): clippy-clean either way.
#[test]
fn constant_and_templated_branches() {
    snapshot_fixture("branches");
}

/// Waiters: acceptors of every matcher kind, paths with projections, filters, functions and
/// `inputOutput`, run end to end by the fixture's behaviour test.
#[test]
fn waiters_compiled_from_paths() {
    snapshot_fixture("waiters");
}

/// Paginated operations: a service's defaults merged into an operation's trait, an operation's
/// own trait with nested output paths and map items, an operation without items; the
/// behaviour test runs the paginators and the command line's pages against scripted services.
#[test]
fn paginators() {
    snapshot_fixture("paginated");
}

/// A service with an endpoint rule set: the embedded rule set, static, member and path context
/// parameters (projections, map keys, optional structures, enums), client context parameters;
/// its behaviour test sends each operation and checks where the rule set sent it.
#[test]
fn endpoint_rule_sets_and_context_parameters() {
    snapshot_fixture("endpoints");
}

#[test]
fn several_files_mixins_apply_resources_and_legacy_enums() {
    snapshot_generated("loader", common::generate_fixture_files("loader", &["loader_a", "loader_b"]));
}

/// Event streams: a received stream of events with header, payload and implicit members, a
/// modeled exception, a sent stream with blob payloads; the behaviour test streams both ways
/// over HTTP/1.1 on 127.0.0.1 and checks every sent event's chained signature.
#[test]
fn event_streams() {
    snapshot_fixture("streams");
}
