-- Reads a channel's kept history after a cursor, with the channel's position, in one step.
-- Entries past their own history TTL leave the front of the stream here. A channel without an
-- epoch gets one now, so its first publication carries the epoch this read reports.
-- KEYS: meta, stream
-- ARGV: cursor offset (-1: no cursor), cursor epoch, limit, epoch to create, meta TTL ms
-- Returns {top, epoch, complete (1/0), entries as XRANGE returns them}
local meta, stream = KEYS[1], KEYS[2]
local state = redis.call('HMGET', meta, 'epoch', 'top')
local epoch, top = state[1], tonumber(state[2])
if not epoch then
  epoch = ARGV[4]
  top = 0
  redis.call('DEL', stream)
  redis.call('HSET', meta, 'epoch', epoch, 'top', 0)
  redis.call('PEXPIRE', meta, ARGV[5])
end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local firstKept = top + 1
while true do
  local head = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
  if #head == 0 then
    break
  end
  -- fields: d <data> o <origin> t <time> x <expires>
  if tonumber(head[1][2][8]) > now then
    firstKept = tonumber(string.match(head[1][1], '^%d+'))
    break
  end
  redis.call('XDEL', stream, head[1][1])
end
local since = tonumber(ARGV[1])
local after = 0
local complete
if since <= 0 then
  -- No cursor, or one that has seen nothing (in whatever epoch): complete from the first message.
  complete = firstKept == 1
else
  after = since
  complete = ARGV[2] == epoch and after >= firstKept - 1 and after <= top
end
local entries = {}
local limit = tonumber(ARGV[3])
if limit > 0 and (complete or since < 0) then
  entries = redis.call('XRANGE', stream, (after + 1) .. '-0', '+', 'COUNT', limit)
end
return {top, epoch, complete and 1 or 0, entries}
