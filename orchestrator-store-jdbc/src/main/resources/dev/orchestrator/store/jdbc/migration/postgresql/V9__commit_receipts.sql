-- Commit receipts. Processes sharing the embedded store's file meet a broken connection when the process that serves
-- the file exits; a transaction whose connection broke during its COMMIT may or may not have been saved. So each
-- write transaction of the embedded store inserts a random token here just before it commits, and a process whose
-- commit broke reads its token back to know which it was: run the work again, or not. Rows older than an hour are
-- deleted when a store opens. (Kept in step on PostgreSQL, which does not use it.)
CREATE TABLE commit_receipts (
  token      VARCHAR(36) PRIMARY KEY,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
