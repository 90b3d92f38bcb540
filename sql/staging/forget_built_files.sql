-- The stg_*_checked tables are about to be built again: until that is done, they hold no
-- files that a later run could append to.
DELETE FROM stg_built_files
