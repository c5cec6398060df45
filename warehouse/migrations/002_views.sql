-- The first views of the analysts' interface; views now live in warehouse/views/*.sql,
-- re-applied each time the warehouse is opened for writing.
SELECT 1;
