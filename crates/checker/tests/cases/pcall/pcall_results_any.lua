-- `pcall` gives a boolean and any values: nothing to prove in default mode.
local ok, err = pcall(function() error("x") end)
if not ok then
    print("failed: " .. tostring(err))
end
