-- A job's lease names the node's take of it (github.control.GitHubJobs): a node renews its lease as
-- the review goes on, and ends or requeues the job only while the lease is still its own, so a job
-- taken again after a lease ran out is never finished twice.
alter table github_jobs add column lease_token varchar(40);

-- The review of one head commit is queued at most once: `active_key` is set while a job waits in
-- the queue and cleared when a node takes it, and is unique, so two nodes queueing the same commit
-- at once leave one job (the other insert fails and its transaction runs again).
alter table github_jobs add column active_key varchar(300);
create unique index ux_github_jobs_active on github_jobs (active_key);
