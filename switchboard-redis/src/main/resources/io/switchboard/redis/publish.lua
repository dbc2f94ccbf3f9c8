-- Appends one publication to a channel's stream and announces it, atomically: the next offset,
-- the stream entry (id "<offset>-0"), trimming to the history size, expiry by the history TTL, and
-- the pub/sub message carrying offset and epoch. Every key shares the channel's hash tag.
-- KEYS: meta (hash: epoch, top, pseq), stream
-- ARGV: data, origin (encoded), history size, history TTL ms, epoch to create when the stream has
--       none, meta TTL ms, pub/sub channel, PUBLISH or SPUBLISH
-- Returns {offset, epoch, time ms}
local meta, stream = KEYS[1], KEYS[2]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  -- The channel's stream is new or was lost: a new epoch, and no leftover entries from before.
  epoch = ARGV[5]
  redis.call('DEL', stream)
  redis.call('HSET', meta, 'epoch', epoch, 'top', 0)
end
local offset = redis.call('HINCRBY', meta, 'top', 1)
redis.call('PEXPIRE', meta, ARGV[6])
local size = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
if size > 0 then
  redis.call('XADD', stream, 'MAXLEN', size, offset .. '-0', 'd', ARGV[1], 'o', ARGV[2], 't', now, 'x', now + ttl)
  -- The key outlives its longest-lived entry, then goes as a whole.
  if redis.call('PTTL', stream) < ttl then
    redis.call('PEXPIRE', stream, ttl)
  end
else
  redis.call('DEL', stream)
end
redis.call(ARGV[8], ARGV[7], 'p' .. offset .. '\n' .. epoch .. '\n' .. now .. '\n' .. ARGV[2] .. '\n' .. ARGV[1])
return {offset, epoch, now}
