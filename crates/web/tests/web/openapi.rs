//! The OpenAPI document and the router agree.

use std::collections::BTreeSet;

use crate::common::{pack, start};

#[tokio::test]
async fn openapi_lists_exactly_the_routes_the_router_serves() {
    let s = start().await;
    let (status, doc) = s.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |m| (m.clone(), path.clone())))
        .collect();
    let served: BTreeSet<(String, String)> =
        mockloop_web::api_routes().iter().map(|r| (r.method.to_owned(), r.path.to_owned())).collect();
    assert_eq!(documented, served, "document and router differ");
    // Every /api route of the router is in the table (the fallback answers anything else).
    assert!(served.iter().any(|(_, p)| p.starts_with("/api/")));

    // And each one is really routed: no fallback 404 and no 405.
    let pack = pack();
    let qid = &pack.questions[0].id;
    for (method, template) in &served {
        let id = if template.contains("questions") {
            qid.as_str()
        } else {
            "0190a0a0-0000-7000-8000-000000000000"
        };
        let path = template.replace("{id}", id);
        let resp = match method.as_str() {
            "get" => s.client.get(s.url(&path)).send().await.unwrap(),
            "post" => s.client.post(s.url(&path)).json(&serde_json::json!({})).send().await.unwrap(),
            m => panic!("unexpected method {m}"),
        };
        let status = resp.status().as_u16();
        let body = resp.text().await.unwrap();
        assert!(!body.contains("no API route"), "{method} {path} is not routed");
        let responses = &doc["paths"][template][method]["responses"];
        assert!(
            responses.get(status.to_string()).is_some(),
            "{method} {path} answered {status}, which the document does not list: {body}"
        );
    }
}
