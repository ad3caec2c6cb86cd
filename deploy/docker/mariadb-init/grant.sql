-- The user ntm may create and use the services' schemas (ntm_assessment, ntm_plans, ...).
GRANT ALL PRIVILEGES ON `ntm\_%`.* TO 'ntm'@'%';
