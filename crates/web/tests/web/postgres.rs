//! The API story against PostgreSQL, when `MOCKLOOP_TEST_POSTGRES` names a database.

use std::sync::Arc;

use mockloop_store_postgres::PostgresStore;

use crate::common::start_with;

#[tokio::test]
async fn the_api_story_works_on_postgres() {
    let Ok(url) = std::env::var("MOCKLOOP_TEST_POSTGRES") else {
        println!("skipped: set MOCKLOOP_TEST_POSTGRES=postgres://… to run the web API against PostgreSQL");
        return;
    };
    let store = PostgresStore::open(&url).await.expect("opening MOCKLOOP_TEST_POSTGRES");
    // A fresh user per run: the database may hold earlier runs' data.
    let user = format!("web-test-{}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default());
    let s = start_with(Arc::new(store), &user).await;
    let (status, ready) = s.get_json("/readyz").await;
    assert_eq!((status, ready["store"].as_str()), (200, Some("postgres")));
    crate::api::practice_story(&s).await;
}
