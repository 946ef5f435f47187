//! One state of the system (Redis, the database, every actor, the history, what is left of
//! the environment's budget) and its transitions: an actor's next step (each way it can go),
//! a tick of the clock, Redis restarting empty.

use super::actors::{Actor, Ctx, Spec, World};
use super::db_model::{Db, VersionInfo, bit};
use super::properties::{self, History};
use super::redis_model::Redis;

/// A scenario: its keys, versions, starting point, actors and environment.
#[derive(Debug)]
pub(crate) struct Scenario {
    pub(crate) name: &'static str,
    pub(crate) world: World,
    pub(crate) specs: Vec<Spec>,
    pub(crate) start: State,
    /// How many ticks the clock may advance, and how many times Redis may restart.
    pub(crate) ticks: u8,
    pub(crate) restarts: u8,
    /// Property (d): the cache must end as it started.
    pub(crate) unchanged: bool,
    /// Whether the clock ticks only once a process has died (so that its lock was intact at
    /// its commit, and expires after).
    pub(crate) ticks_after_a_crash: bool,
    /// Whether the clock ticks, and Redis restarts, only while no library write holds locks
    /// (leases and cached absences expire, locks are never lost mid-write: see the
    /// collections' (a) in `properties.rs`).
    pub(crate) environment_between_writes: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct State {
    pub(crate) redis: Redis,
    pub(crate) db: Db,
    pub(crate) actors: Vec<Actor>,
    pub(crate) history: History,
    pub(crate) ticks: u8,
    pub(crate) restarts: u8,
}

/// Who moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    Actor { who: usize, choice: usize },
    Tick,
    Restart,
}

impl State {
    /// The start: `rows` per key (a version), the cache holding `cached` (key, version) and
    /// the collections of the parents `entries` (as a reader fills them from `rows`), no actor
    /// started.
    pub(crate) fn start(
        world: &World,
        specs: &[Spec],
        rows: &[u8],
        cached: &[(usize, u8)],
        entries: &[usize],
    ) -> Self {
        let mut redis = Redis::default();
        for &(k, version) in cached {
            let info: VersionInfo = world.table[usize::from(version)];
            let value = if info.row {
                crate::core::read::row_value(
                    &super::actors::item(world, k, version),
                    super::item::RULES,
                )
                .ok()
            } else {
                crate::core::read::fill_for::<super::item::Item>(None, super::item::RULES)
                    .expect("an item is cacheable")
            };
            let (value, ttl) = value.expect("cacheable");
            redis.set_px(&world.keys[k], value, ttl.as_millis() as i64);
        }
        let db = Db::new(rows);
        for &p in entries {
            let members: Vec<_> = db
                .load_members(&world.table, p)
                .into_iter()
                .map(|(k, v)| super::actors::item(world, k, v))
                .collect();
            let (value, ttl) = crate::core::collection::entry_fill::<super::item::Item, 0>(
                &members,
                &members
                    .iter()
                    .map(|row| super::item::key(row.id))
                    .collect::<Vec<_>>(),
                super::item::RULES,
            )
            .expect("a small collection");
            redis.set_px(
                &world.keys[world.collection(p)],
                value,
                ttl.as_millis() as i64,
            );
        }
        let initial = rows.iter().fold(0, |m, &v| m | bit(v));
        Self {
            redis,
            db,
            actors: specs.iter().map(Actor::new).collect(),
            history: History::new(initial),
            ticks: 0,
            restarts: 0,
        }
    }

    /// Quiescence: no actor has a step left. Each is done, or is the change feed waiting for
    /// a library writer's commit that never came (the writer is done too, or it would move).
    pub(crate) fn all_done(&self, scenario: &Scenario) -> bool {
        self.actors
            .iter()
            .zip(&scenario.specs)
            .all(|(actor, spec)| actor.choices(spec, &self.db) == 0)
    }

    /// Every move possible from here.
    pub(crate) fn moves(&self, scenario: &Scenario) -> Vec<Move> {
        let mut moves = Vec::new();
        for (who, actor) in self.actors.iter().enumerate() {
            for choice in 0..actor.choices(&scenario.specs[who], &self.db) {
                moves.push(Move::Actor { who, choice });
            }
        }
        if !self.all_done(scenario) {
            let crashed = self.actors.iter().any(|a| matches!(a, Actor::Crashed));
            let writing = self.actors.iter().any(Actor::is_writing);
            if self.ticks < scenario.ticks
                && (crashed || !scenario.ticks_after_a_crash)
                && !(writing && scenario.environment_between_writes)
            {
                moves.push(Move::Tick);
            }
            if self.restarts < scenario.restarts
                && !(writing && scenario.environment_between_writes)
            {
                moves.push(Move::Restart);
            }
        }
        moves
    }

    /// Makes `m`; returns what happened, or the property broken on the way (a read's).
    pub(crate) fn apply(&mut self, scenario: &Scenario, m: Move) -> Result<String, String> {
        match m {
            Move::Tick => {
                self.ticks += 1;
                self.redis.tick();
                Ok("the clock ticks".into())
            }
            Move::Restart => {
                self.restarts += 1;
                self.redis.restart();
                Ok("Redis restarts empty".into())
            }
            Move::Actor { who, choice } => {
                let mut actor = std::mem::replace(&mut self.actors[who], Actor::Done);
                let before = (scenario.world.parents > 0).then(|| self.db.rows.clone());
                let mut ctx = Ctx {
                    world: &scenario.world,
                    redis: &mut self.redis,
                    db: &mut self.db,
                    history: &mut self.history,
                };
                let result = actor.step(who, &scenario.specs[who], choice, &mut ctx);
                self.actors[who] = actor;
                if before.is_some_and(|before| before != self.db.rows) {
                    // Collections: listings under way, and an open feed window, see the commit.
                    self.history.record(&self.db.rows);
                    for (actor, spec) in self.actors.iter_mut().zip(&scenario.specs) {
                        actor.observe(spec, &scenario.world, &self.db);
                    }
                }
                result
            }
        }
    }

    /// The properties of every state, and of the end.
    pub(crate) fn check(&self, scenario: &Scenario) -> Result<(), String> {
        let world = &scenario.world;
        let (rows, collections) = world.keys.split_at(world.rows());
        properties::check_state(rows, &world.table, &self.redis, &self.db)?;
        if self.all_done(scenario) {
            properties::check_final(rows, &world.table, &self.redis, &self.db)?;
            properties::check_final_collections(collections, &world.table, &self.redis, &self.db)?;
            if scenario.unchanged {
                properties::check_unchanged(&scenario.start.redis, &self.redis)?;
            }
        }
        Ok(())
    }
}
