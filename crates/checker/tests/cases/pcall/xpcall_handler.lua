-- `xpcall` with a handler.
local ok = xpcall(function() return 1 end, function(e) return tostring(e) end)
print(ok)
