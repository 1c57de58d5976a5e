-- Placeholder so that this branch (magiclink) can number its own migration V003. The alerts branch owns V002:
-- when both are merged, take the alerts branch's version of this file.
DROP TABLE IF EXISTS magiclink_placeholder_v002;
