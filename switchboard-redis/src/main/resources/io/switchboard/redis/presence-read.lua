-- Lists present clients as "<join seq>\n<encoded client>" (the caller sorts by seq).
return redis.call('HVALS', presence)
