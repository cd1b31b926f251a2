//! Serde mirrors of the files, exactly as written. Validation turns them into domain types.

use mockloop_domain::{Compensation, Level, PlanWeek, Role, Round, Topic};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPack {
    pub role: Role,
    pub levels: Vec<Level>,
    pub rounds: Vec<Round>,
    pub topics: Vec<Topic>,
    pub compensation: Compensation,
    pub prep_plan: RawPlan,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub weeks: Vec<PlanWeek>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKeyPoint {
    pub id: String,
    pub text: String,
    pub weight: u8,
    #[serde(default)]
    pub phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFollowUp {
    pub key_point: String,
    pub prompt: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMisconception {
    pub claim: String,
    #[serde(default)]
    pub phrases: Vec<String>,
    pub correction: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: String,
    pub prompt: String,
    pub difficulty: String,
    pub category: String,
    pub topics: Vec<String>,
    pub levels: Vec<String>,
    pub rounds: Vec<String>,
    pub time_minutes: u32,
    pub flashcard: String,
    #[serde(default)]
    pub key_points: Vec<RawKeyPoint>,
    #[serde(default)]
    pub follow_ups: Vec<RawFollowUp>,
    #[serde(default)]
    pub misconceptions: Vec<RawMisconception>,
}
