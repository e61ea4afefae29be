# Independent construction of the known-answer packets in test/wire/fixtures.ts (struct + an inline
# RFC 1071 checksum; no tcpfuzz code). Run: python3 test/wire/known-answers.py
import struct, socket
def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack('!%dH'%(len(b)//2),b))
    while s>>16: s=(s&0xffff)+(s>>16)
    return (~s)&0xffff
def opts_syn(tsval, tsecr, mss=1460):
    return struct.pack('!BBH',2,4,mss)+bytes([4,2])+struct.pack('!BBII',8,10,tsval,tsecr)+bytes([1])+bytes([3,3,10])
def tcp(sp,dp,seq,ack,flags,win,opts,src,dst,v6=False):
    doff=(20+len(opts))//4
    hdr=struct.pack('!HHIIBBHHH',sp,dp,seq,ack,doff<<4,flags,win,0,0)+opts
    if v6: ph=src+dst+struct.pack('!I3xB',len(hdr),6)
    else: ph=src+dst+struct.pack('!BBH',0,6,len(hdr))
    c=csum(ph+hdr)
    return hdr[:16]+struct.pack('!H',c)+hdr[18:]
def ip4(src,dst,ident,seg,ttl=64):
    s=socket.inet_aton(src); d=socket.inet_aton(dst)
    h=struct.pack('!BBHHHBBH4s4s',0x45,0,20+len(seg),ident,0x4000,ttl,6,0,s,d)
    c=csum(h)
    return h[:10]+struct.pack('!H',c)+h[12:]+seg
def ip6(src,dst,flow,seg):
    s=socket.inet_pton(socket.AF_INET6,src); d=socket.inet_pton(socket.AF_INET6,dst)
    return struct.pack('!IHBB',(6<<28)|flow,len(seg),6,64)+s+d+seg
A,B=socket.inet_aton('192.0.2.1'),socket.inet_aton('192.0.2.2')
syn=ip4('192.0.2.1','192.0.2.2',0x5a3c,tcp(40000,8080,0x1a2b3c4d,0,0x02,64240,opts_syn(0x00bc614e,0),A,B))
synack=ip4('192.0.2.2','192.0.2.1',0,tcp(8080,40000,0x9e3779b9,0x1a2b3c4e,0x12,65160,opts_syn(0x0001e240,0x00bc614e),B,A))
rst=ip4('192.0.2.2','192.0.2.1',0,tcp(8080,40001,0,0x1a2b3c4e,0x14,0,b'',B,A))
s6=socket.inet_pton(socket.AF_INET6,'2001:db8::1'); d6=socket.inet_pton(socket.AF_INET6,'2001:db8::2')
syn6=ip6('2001:db8::1','2001:db8::2',0x12345,tcp(40000,8080,0x1a2b3c4d,0,0x02,64800,opts_syn(0x00bc614e,0,1440),s6,d6,True))
for n,p in [('syn',syn),('synack',synack),('rst',rst),('syn6',syn6)]:
    print(n, p.hex())
