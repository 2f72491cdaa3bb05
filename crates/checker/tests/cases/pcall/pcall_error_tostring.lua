-- The error of a failed `pcall` is any: `tostring` makes it a string.
local ok, err = pcall(error, "boom")
if not ok then
    local msg: string = tostring(err)
    print(msg)
end
