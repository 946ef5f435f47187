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
use std::hash::{BuildHasherDefault, Hasher};
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
    let mut seen: HashMap<State, u32, BuildHasherDefault<Fx>> = HashMap::default();
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

/// The visited set's hasher: FxHash's mixing (rotate, xor, multiply), eight bytes at a time.
/// The standard SipHash took a third of the explorer's time in a debug build, hashing states
/// whose keys and values are byte strings; nothing here needs its resistance to chosen keys.
#[derive(Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut buffer = [0; 8];
            buffer.copy_from_slice(word);
            self.add(u64::from_le_bytes(buffer));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut buffer = [0; 8];
            buffer[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buffer));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
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
    let _ = writeln!(
        out,
        "start: redis {} | db {}",
        state.redis,
        db(scenario, &state)
    );
    for (i, m) in moves.into_iter().enumerate() {
        let who = match m {
            Move::Actor { who, .. } => format!("#{who} {}", name(scenario, &scenario.specs[who])),
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
            db(scenario, &state)
        );
    }
    out
}

/// The database, and in the collection scenarios each parent's members.
fn db(scenario: &Scenario, state: &State) -> String {
    let world = &scenario.world;
    let mut out = state.db.to_string();
    for p in 0..world.parents {
        let members = state.db.members(&world.table, p);
        let _ = write!(
            out,
            " {}={}",
            super::item::parent_name(super::item::parent_id(p)),
            super::db_model::show_versions(members)
        );
    }
    out
}

fn name(scenario: &Scenario, spec: &super::actors::Spec) -> String {
    use super::actors::Spec;
    let world = &scenario.world;
    match spec {
        Spec::Writer { versions, form, .. } => {
            let v: Vec<String> = versions
                .iter()
                .map(|&v| {
                    let info = world.table[usize::from(v)];
                    match info.parent {
                        Some(p) if info.row => format!(
                            "v{v}: key {} to {}",
                            info.key,
                            super::item::parent_name(super::item::parent_id(usize::from(p)))
                        ),
                        _ if !info.row && world.parents > 0 => {
                            format!("v{v}: delete key {}", info.key)
                        }
                        _ => format!("v{v}"),
                    }
                })
                .collect();
            let what = if *form { "update" } else { "writer" };
            format!("{what}({})", v.join(" "))
        }
        Spec::Reader { key } => format!("reader(key {key})"),
        Spec::Transaction { .. } => "transaction".into(),
        Spec::NaiveWriter { version, .. } => format!("naive writer(v{version})"),
        Spec::NaiveReader { key } => format!("naive reader(key {key})"),
        Spec::Invalidator { version, .. } => format!("by hand + invalidate(v{version})"),
        Spec::Bypass(bypass) if bypass.by_hand => format!("by hand + feed(v{})", bypass.version),
        Spec::Bypass(bypass) => format!("feed(v{})", bypass.version),
        Spec::Lister { parent } => format!(
            "lister({})",
            super::item::parent_name(super::item::parent_id(*parent))
        ),
    }
}
