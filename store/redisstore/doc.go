// Package redisstore holds the primitives that let several gateway instances
// share state through one Redis deployment.
//
// It covers:
//
//   - connecting from a single URL, whether Redis runs standalone, as a
//     Cluster or behind Sentinel (Open);
//   - naming keys under a common prefix, with hash tags so that keys that
//     belong together land in one Redis Cluster slot and can be used by one
//     script (Keys);
//   - leases with fencing tokens, so a holder that lost its lease without
//     noticing can be refused by a store that checks tokens (Lease);
//   - jobs that must run on one instance at a time, moving to another
//     instance when the running one stops or dies (Singleton);
//   - keys that are claimed only once, for deduplicating deliveries (Once);
//   - pub/sub fan-out of payloads to every instance, at most once (Fanout),
//     for web chat messages and console frames whose socket another
//     instance holds;
//   - the agent desk's store, shared by all instances (DeskStore), and
//     which agents have a console open anywhere (Presence);
//   - counters in fixed windows for rate limits that hold for the whole
//     deployment (Counter);
//   - a short ping for readiness probes (Ping).
package redisstore
