-- PUT a 256-byte value to a random key of 100,000 (the keys akkakv bench --preload writes)
wrk.method = "PUT"
wrk.body = string.rep("x", 256)
request = function()
  return wrk.format(nil, "/v1/kv/bench-" .. string.format("%08d", math.random(0, 99999)))
end
