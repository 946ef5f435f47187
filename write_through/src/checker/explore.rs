//! The explorer: breadth-first over every interleaving, with a set of visited states, so
//! each distinct state is expanded once and a counterexample is a shortest one. Each node
//! keeps its parent and the move that reached it; a counterexample's trace is rebuilt by
//! replaying those moves from the start, printing each step and the state after it.
//!
//! Hand-written rather than `stateright` (maintained, but an actor-and-network framework of
//! some 10 000 lines): the system here is a handful of step machines over two shared maps,
//! which a hundred lines explore, with no new dependency.

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use super::state::{Move, Scenario, State};

/// What a run found.
#[derive(Debug)]
pub(crate) struct Report {
    pub(crate) states: usize,
    pub(crate) ends: usize,
    pub(crate) elapsed: Duration,
    /// The first broken property and its trace.
    pub(crate) counterexample: Option<(String, String)>,
}

/// Explores every interleaving of `scenario`.
pub(crate) fn explore(scenario: &Scenario) -> Report {
    let started = Instant::now();
    let start = scenario.start.clone();
    // Per state: its node. Per node: its parent and the move from there.
    let mut seen: HashMap<State, u32> = HashMap::new();
    let mut nodes: Vec<(u32, Option<Move>)> = vec![(0, None)];
    seen.insert(start.clone(), 0);
    let mut frontier = VecDeque::from([(start, 0u32)]);
    let mut ends = 0;
    let mut counterexample = None;
    if let Err(broken) = scenario.start.check(scenario) {
        counterexample = Some((broken, String::new()));
    }
    'search: while let Some((state, node)) = frontier.pop_front() {
        let moves = state.moves(scenario);
        if moves.is_empty() {
            ends += 1;
        }
        for m in moves {
            let mut next = state.clone();
            let result = next.apply(scenario, m).and_then(|_| next.check(scenario));
            if let Err(broken) = result {
                let trace = trace(scenario, &nodes, node, m);
                counterexample = Some((broken, trace));
                break 'search;
            }
            if !seen.contains_key(&next) {
                let id = u32::try_from(nodes.len()).expect("fewer than 2^32 states");
                nodes.push((node, Some(m)));
                seen.insert(next.clone(), id);
                frontier.push_back((next, id));
            }
        }
    }
    Report {
        states: seen.len(),
        ends,
        elapsed: started.elapsed(),
        counterexample,
    }
}

/// The numbered steps from the start to `last` after node `node`, with the state after each.
fn trace(scenario: &Scenario, nodes: &[(u32, Option<Move>)], node: u32, last: Move) -> String {
    let mut moves = vec![last];
    let mut at = node;
    while let (parent, Some(m)) = nodes[at as usize] {
        moves.push(m);
        at = parent;
    }
    moves.reverse();
    let mut state = scenario.start.clone();
    let mut out = String::new();
    let _ = writeln!(out, "start: redis {} | db {}", state.redis, state.db);
    for (i, m) in moves.into_iter().enumerate() {
        let who = match m {
            Move::Actor { who, .. } => format!("#{who} {}", name(&scenario.specs[who])),
            Move::Tick | Move::Restart => "environment".into(),
        };
        let what = match state.apply(scenario, m) {
            Ok(what) => what,
            Err(broken) => format!("BROKEN: {broken}"),
        };
        let _ = writeln!(
            out,
            "{:>3}. {who}: {what}\n     redis {} | db {}",
            i + 1,
            state.redis,
            state.db
        );
    }
    out
}

fn name(spec: &super::actors::Spec) -> String {
    use super::actors::Spec;
    match spec {
        Spec::Writer { versions, .. } => {
            let v: Vec<String> = versions.iter().map(|v| format!("v{v}")).collect();
            format!("writer({})", v.join(" "))
        }
        Spec::Reader { key } => format!("reader(key {key})"),
        Spec::Transaction { .. } => "transaction".into(),
        Spec::NaiveWriter { version, .. } => format!("naive writer(v{version})"),
        Spec::NaiveReader { key } => format!("naive reader(key {key})"),
        Spec::Invalidator { version, .. } => format!("by hand + invalidate(v{version})"),
        Spec::Bypass(bypass) if bypass.by_hand => format!("by hand + feed(v{})", bypass.version),
        Spec::Bypass(bypass) => format!("feed(v{})", bypass.version),
    }
}
