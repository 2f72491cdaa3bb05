-- mode: strict
-- `type(res) == "number"` is the proof strict mode wants.
local ok, res = pcall(function() return 1 end)
if ok and type(res) == "number" then
    local n: number = res
    print(n)
end
