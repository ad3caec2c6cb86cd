-- Room for large texts: an event naming every commune of a big district, and a district's digest
-- listing each late commune, can pass the 64 KiB of TEXT. MEDIUMTEXT holds 16 MiB, more than a
-- gRPC message may carry, so nothing the service is given is ever cut short.
ALTER TABLE events MODIFY payload MEDIUMTEXT NOT NULL;
ALTER TABLE notifications MODIFY body MEDIUMTEXT NOT NULL;
