-- GET a random key of 100,000 from the receiving node's own replica (consistency=serializable)
request = function()
  return wrk.format("GET", "/v1/kv/bench-" .. string.format("%08d", math.random(0, 99999)) .. "?consistency=serializable")
end
