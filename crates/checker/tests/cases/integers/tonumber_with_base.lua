-- tonumber with a base gives an integer.
local function hex_byte(h: string): string?
    local b = tonumber(h, 16)
    if not b then
        return nil
    end
    return string.char(b)
end
print(hex_byte("41"))
