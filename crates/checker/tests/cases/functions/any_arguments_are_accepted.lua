-- Values of unknown type fit any parameter (gradual typing).
local function need(s: string): string
    return s
end
local decoded = json.decode("{}")
print(need(decoded), need(decoded.name))
